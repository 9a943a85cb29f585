// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Real-world corpus: a callback-style HTTP/1.1 keep-alive server with Beast,
// the shape of Beast's asynchronous server examples. A listener accepts each
// connection onto a strand of its own (make_strand) on an io_context run by
// three threads; a session object (enable_shared_from_this) chains
// http::async_read and http::async_write through member-function callbacks
// (bind_front_handler). The accept handler starts each session inside a fresh
// context where it sets the connection id once; every callback, and the code
// before each write, checks it against the id the session holds. 120 clients
// send five keep-alive requests each (the last with `Connection: close`),
// every 8th dropping the connection before its second response. Built with
// tracking: 0 wrong (--expect zero); without: most wrong (--expect most).

#include "http_client.hpp"
#include "listener.hpp"
#include "realworld.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>

using namespace realworld;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

class session: public std::enable_shared_from_this<session>
{
public:
    session(tcp::socket&& socket, int id): stream_(std::move(socket)), id_(id) {}

    void run()
    {
        check(id_, "run");
        // The accept handler runs on the listener's executor, not on this
        // session's strand: start there, as Beast's examples do.
        asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&session::do_read, shared_from_this()));
    }

private:
    void do_read()
    {
        check(id_, "do_read");
        request_ = {};
        http::async_read(stream_, buffer_, request_, beast::bind_front_handler(&session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t)
    {
        check(id_, "on_read");
        if(ec)
        {
            // end_of_stream: the client is done; anything else: it went away.
            stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
            return;
        }
        response_ = {};
        response_.version(request_.version());
        response_.result(http::status::ok);
        response_.set(http::field::content_type, "text/plain");
        response_.keep_alive(request_.keep_alive());
        response_.body() = std::string(request_.target());
        response_.prepare_payload();
        check(id_, "before write");
        http::async_write(stream_, response_,
                          beast::bind_front_handler(&session::on_write, shared_from_this(), response_.keep_alive()));
    }

    void on_write(bool keep_alive, beast::error_code ec, std::size_t)
    {
        check(id_, "on_write");
        if(ec)
        {
            return; // the client dropped the connection
        }
        if(!keep_alive)
        {
            stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
            return;
        }
        do_read();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    int id_;
};

} // namespace

int main(int argc, char** argv)
{
    program run("http_keepalive", argc, argv);
    asio::io_context ioc;
    auto server = make_listener(ioc, [](tcp::socket socket, int id) {
        std::make_shared<session>(std::move(socket), id)->run();
    });
    server->run();
    runner threads(ioc, server_threads);

    bool client_ok = run_clients(server->endpoint(), run.opts(), http_client);
    server->stop();
    server.reset();
    threads.join();

    return run.verdict(client_ok);
}
