// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The echo server the Asio tests talk to: plain Asio on its own
// single-threaded io_context and thread, bound to 127.0.0.1 on a free port,
// so that their socket round trips are real loopback TCP. Callbacks only, so
// that C++17 tests can use it too.

#ifndef BOOST_CONTEXTVARS_TEST_ECHO_SERVER_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_ECHO_SERVER_HPP_INCLUDED

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <memory>
#include <thread>
#include <utility>

namespace test_support {

namespace echo_server_detail {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

// Sessions are served one read/write at a time.
class echo_server
{
public:
    echo_server(): acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
    {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }

    echo_server(echo_server const&) = delete;
    echo_server& operator=(echo_server const&) = delete;

    ~echo_server()
    {
        io_.stop();
        thread_.join();
    }

    tcp::endpoint endpoint() const
    {
        return acceptor_.local_endpoint();
    }

private:
    struct session: std::enable_shared_from_this<session>
    {
        tcp::socket s;
        std::array<char, 256> buf;

        explicit session(tcp::socket sock): s(std::move(sock)) {}

        void read()
        {
            s.async_read_some(asio::buffer(buf), [self = shared_from_this()](error_code ec, std::size_t n) {
                if(!ec)
                {
                    asio::async_write(self->s, asio::buffer(self->buf.data(), n),
                        [self](error_code ec2, std::size_t) {
                            if(!ec2)
                            {
                                self->read();
                            }
                        });
                }
            });
        }
    };

    void accept()
    {
        acceptor_.async_accept([this](error_code ec, tcp::socket s) {
            if(!ec)
            {
                std::make_shared<session>(std::move(s))->read();
                accept();
            }
        });
    }

    asio::io_context io_{1};
    tcp::acceptor acceptor_;
    std::thread thread_;
};

} // namespace echo_server_detail

using echo_server_detail::echo_server;

} // namespace test_support

#endif // BOOST_CONTEXTVARS_TEST_ECHO_SERVER_HPP_INCLUDED
