// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Real-world corpus: a stackful HTTP/1.1 server with asio::spawn, the shape of
// Beast's stackful (yield_context) server example. The accept loop is itself a
// stackful coroutine, and spawns each connection's coroutine from inside it on
// the running executor, so that Asio starts the session inline, within the
// accept loop, until its first suspension. The session sets its connection id
// once, on its first line, and checks it after every read, before and after
// every write and after a post(yield) that may resume it on another of the
// io_context's three threads. 120 clients send five keep-alive requests each,
// every 8th dropping the connection early. Built with tracking it must see 0
// wrong ids (--expect zero); without, most checks fail (--expect most).

#include "http_client.hpp"
#include "realworld.hpp"

#include <boost/asio/spawn.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

using namespace realworld;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

void session(beast::tcp_stream& stream, int id, asio::yield_context yield)
{
    conn_id.set(id); // the spawned coroutine's own context
    check(id, "session start");
    beast::flat_buffer buffer;
    beast::error_code ec;
    for(;;)
    {
        http::request<http::string_body> req;
        http::async_read(stream, buffer, req, yield[ec]);
        check(id, "after read");
        if(ec)
        {
            break; // end of stream, or a client that went away
        }
        // Let the other connections run: may resume on another thread.
        asio::post(yield);
        check(id, "after post");
        http::response<http::string_body> res(http::status::ok, req.version());
        res.set(http::field::content_type, "text/plain");
        res.keep_alive(req.keep_alive());
        res.body() = std::string(req.target());
        res.prepare_payload();
        check(id, "before write");
        http::async_write(stream, res, yield[ec]);
        check(id, "after write");
        if(ec || !res.keep_alive())
        {
            break;
        }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

void accept_loop(tcp::acceptor& acceptor, asio::yield_context yield)
{
    for(int id = 1;; ++id)
    {
        beast::error_code ec;
        tcp::socket socket(acceptor.get_executor());
        acceptor.async_accept(socket, yield[ec]);
        check(0, "accept loop, after accept");
        if(ec)
        {
            return; // closed at the end of the run
        }
        // As Beast's example: spawned from inside this coroutine, on the
        // executor running it, so the session starts inline.
        asio::spawn(
            yield.get_executor(),
            [stream = beast::tcp_stream(std::move(socket)), id](asio::yield_context y) mutable {
                session(stream, id, y);
            },
            report_exception{"session"});
        check(0, "accept loop, after spawn");
    }
}

} // namespace

int main(int argc, char** argv)
{
    program run("spawn_http", argc, argv);
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, loopback());
    asio::spawn(
        ioc, [&](asio::yield_context yield) { accept_loop(acceptor, yield); }, report_exception{"accept loop"});
    runner threads(ioc, server_threads);

    bool client_ok = run_clients(acceptor.local_endpoint(), run.opts(), http_client);
    asio::post(acceptor.get_executor(), [&] { acceptor.close(); });
    threads.join();

    return run.verdict(client_ok);
}
