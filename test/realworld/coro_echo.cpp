// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Real-world corpus: a C++20 coroutine echo server, the shape of Asio's own
// coroutine examples. An accept loop co_spawns one coroutine per connection
// (use_awaitable throughout) on an io_context run by three threads; the
// session sets its connection id in a context_var once, on its first line, and
// checks it after every read, before and after every write and after every
// other co_await, including a hop through a plain post that may resume it on
// another thread. 120 clients send five lines each, every 8th closing early.
// Built with tracking it must see 0 wrong ids (--expect zero); built without,
// the sessions share each thread's context and most checks fail (--expect most).

#include "realworld.hpp"

#include <memory>

using namespace realworld;
using asio::awaitable;
using asio::use_awaitable;

namespace {

awaitable<void> session(tcp::socket socket, int id)
{
    conn_id.set(id); // co_spawn gave this coroutine a context of its own
    check(id, "session start");
    auto ex = co_await asio::this_coro::executor;
    std::string buf;
    for(;;)
    {
        auto [ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n',
                                                       asio::as_tuple(use_awaitable));
        check(id, "after read");
        if(ec)
        {
            break; // end of stream, or a client that closed early
        }
        std::string line = buf.substr(0, n);
        buf.erase(0, n);
        // Let the other connections run: may resume on another thread.
        co_await asio::post(ex, use_awaitable);
        check(id, "before write");
        auto [wec, written] = co_await asio::async_write(socket, asio::buffer(line), asio::as_tuple(use_awaitable));
        check(id, "after write");
        if(wec)
        {
            break;
        }
    }
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

} // namespace

int main(int argc, char** argv)
{
    program run("coro_echo", argc, argv);
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, loopback());
    asio::co_spawn(ioc, accept_loop(acceptor, 1, session), report_exception{"accept loop"});
    runner server(ioc, server_threads);

    bool client_ok = run_clients(acceptor.local_endpoint(), run.opts(), line_client);
    asio::post(acceptor.get_executor(), [&] { acceptor.close(); });
    server.join(); // every session has ended: the io_context ran out of work

    return run.verdict(client_ok);
}
