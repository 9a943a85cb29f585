// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The listener of the callback-style Beast programs of the real-world corpus
// (http_keepalive.cpp, websocket_chat.cpp), the shape of Beast's asynchronous
// server examples: it accepts each connection onto a strand of its own and
// starts the program's session inside a fresh context that holds the
// connection's id, checking that the id does not leak into the accept path.

#ifndef BOOST_CONTEXTVARS_TEST_REALWORLD_LISTENER_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_REALWORLD_LISTENER_HPP_INCLUDED

#include "realworld.hpp"

#include <boost/beast/core.hpp>

#include <memory>
#include <utility>

namespace realworld {

// `Start`: start(socket, id) makes the session and runs it.
template<class Start>
class listener: public std::enable_shared_from_this<listener<Start>>
{
public:
    listener(asio::io_context& ioc, Start start): ioc_(ioc), acceptor_(ioc, loopback()), start_(std::move(start)) {}

    tcp::endpoint endpoint() const
    {
        return acceptor_.local_endpoint();
    }

    void run()
    {
        do_accept();
    }

    void stop()
    {
        asio::post(acceptor_.get_executor(), [self = this->shared_from_this()] { self->acceptor_.close(); });
    }

private:
    void do_accept()
    {
        acceptor_.async_accept(asio::make_strand(ioc_),
                               boost::beast::bind_front_handler(&listener::on_accept, this->shared_from_this()));
    }

    void on_accept(boost::beast::error_code ec, tcp::socket socket)
    {
        check(0, "listener on_accept");
        if(ec)
        {
            return; // closed at the end of the run
        }
        int id = ++next_id_;
        // A fresh context per connection: the session's callbacks carry it,
        // the next accept does not.
        cv::context().run([&] {
            conn_id.set(id);
            start_(std::move(socket), id);
        });
        check(0, "listener, after starting the session");
        do_accept();
    }

    asio::io_context& ioc_;
    tcp::acceptor acceptor_;
    Start start_;
    int next_id_ = 0;
};

template<class Start>
std::shared_ptr<listener<Start>> make_listener(asio::io_context& ioc, Start start)
{
    return std::make_shared<listener<Start>>(ioc, std::move(start));
}

} // namespace realworld

#endif
