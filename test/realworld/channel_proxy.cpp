// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Real-world corpus: a TCP proxy throttled through channels, in C++20
// coroutines. Clients talk to the proxy, which forwards each line to a backend
// echo server in the same process and relays the answers back. Per connection,
// a reader coroutine hands the client's lines to a forwarder through a
// one-slot concurrent_channel (the reader waits while the forwarder is busy),
// and every forwarder first takes a slot of a process-wide concurrent_channel
// used as a semaphore, so that at most 8 lines are on their way to the backend
// at once; a third coroutine relays the backend's answers. The three run
// concurrently (awaitable operators) on an io_context run by three threads.
// The proxy session and the backend session each set their connection id once,
// on their first line; every step checks it. 120 clients send five lines each,
// every 8th closing early. Built with tracking: 0 wrong (--expect zero);
// without: most wrong (--expect most).

#include "realworld.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>

using namespace realworld;
using namespace asio::experimental::awaitable_operators;
using asio::awaitable;
using asio::use_awaitable;

namespace {

using lines_channel = asio::experimental::concurrent_channel<void(error_code, std::string)>;
using semaphore = asio::experimental::concurrent_channel<void(error_code)>;

constexpr int in_flight = 8;
constexpr int backend_ids = 100000; // backend sessions are numbered from here

// ---- the backend: a plain echo server ------------------------------------------------

awaitable<void> backend_session(tcp::socket socket, int id)
{
    conn_id.set(id);
    check(id, "backend start");
    std::string buf;
    for(;;)
    {
        auto [ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n',
                                                       asio::as_tuple(use_awaitable));
        check(id, "backend after read");
        if(ec)
        {
            break;
        }
        auto [wec, written] = co_await asio::async_write(socket, asio::buffer(buf.data(), n), asio::as_tuple(use_awaitable));
        check(id, "backend after write");
        if(wec)
        {
            break;
        }
        buf.erase(0, n);
    }
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

// ---- the proxy --------------------------------------------------------------------------

// Client -> channel, line by line; closing the channel ends the forwarder.
awaitable<void> read_client(tcp::socket& client, lines_channel& lines, int id)
{
    std::string buf;
    for(;;)
    {
        auto [ec, n] = co_await asio::async_read_until(client, asio::dynamic_buffer(buf), '\n',
                                                       asio::as_tuple(use_awaitable));
        check(id, "proxy after client read");
        if(ec)
        {
            break;
        }
        auto [sec] = co_await lines.async_send(error_code{}, buf.substr(0, n), asio::as_tuple(use_awaitable));
        check(id, "proxy after channel send");
        if(sec)
        {
            break;
        }
        buf.erase(0, n);
    }
    lines.close();
}

// Channel -> backend, each line under a semaphore slot.
awaitable<void> forward(lines_channel& lines, semaphore& slots, tcp::socket& backend, int id)
{
    for(;;)
    {
        auto [ec, line] = co_await lines.async_receive(asio::as_tuple(use_awaitable));
        check(id, "proxy after channel receive");
        if(ec)
        {
            break; // the reader is done
        }
        co_await slots.async_send(error_code{}, use_awaitable); // waits while the semaphore is full
        check(id, "proxy after taking a slot");
        auto [wec, n] = co_await asio::async_write(backend, asio::buffer(line), asio::as_tuple(use_awaitable));
        check(id, "proxy after backend write");
        slots.try_receive([](error_code) {}); // gives the slot back, waking a waiting forwarder
        if(wec)
        {
            break;
        }
    }
    lines.close(); // a reader still sending gives up
    error_code ignored;
    backend.shutdown(tcp::socket::shutdown_send, ignored);
}

// Backend -> client.
awaitable<void> relay_back(tcp::socket& backend, tcp::socket& client, int id)
{
    std::string buf;
    for(;;)
    {
        auto [ec, n] = co_await asio::async_read_until(backend, asio::dynamic_buffer(buf), '\n',
                                                       asio::as_tuple(use_awaitable));
        check(id, "proxy after backend read");
        if(ec)
        {
            break; // the backend saw the end of our stream
        }
        check(id, "proxy before client write");
        auto [wec, written] = co_await asio::async_write(client, asio::buffer(buf.data(), n), asio::as_tuple(use_awaitable));
        check(id, "proxy after client write");
        if(wec)
        {
            break; // the client went away; keep draining the backend
        }
        buf.erase(0, n);
    }
    error_code ignored;
    client.shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> proxy_session(tcp::socket client, int id, tcp::endpoint backend_at, semaphore& slots)
{
    conn_id.set(id); // co_spawn gave this coroutine a context of its own
    check(id, "proxy start");
    auto ex = co_await asio::this_coro::executor;
    tcp::socket backend(ex);
    co_await backend.async_connect(backend_at, use_awaitable);
    check(id, "proxy after backend connect");
    lines_channel lines(ex, 1);
    co_await (read_client(client, lines, id) && forward(lines, slots, backend, id) && relay_back(backend, client, id));
    check(id, "proxy session end");
}

} // namespace

int main(int argc, char** argv)
{
    program run("channel_proxy", argc, argv);
    asio::io_context ioc;
    semaphore slots(ioc, in_flight);
    tcp::acceptor backend(ioc, loopback());
    tcp::acceptor proxy(ioc, loopback());
    tcp::endpoint backend_at = backend.local_endpoint();
    asio::co_spawn(ioc, accept_loop(backend, backend_ids + 1, backend_session), report_exception{"backend"});
    asio::co_spawn(ioc,
                   accept_loop(proxy, 1,
                               [&](tcp::socket socket, int id) {
                                   return proxy_session(std::move(socket), id, backend_at, slots);
                               }),
                   report_exception{"proxy"});
    runner threads(ioc, server_threads);

    bool client_ok = run_clients(proxy.local_endpoint(), run.opts(), line_client);
    asio::post(ioc, [&] {
        proxy.close();
        backend.close();
    });
    threads.join();

    return run.verdict(client_ok);
}
