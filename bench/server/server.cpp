// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// End-to-end benchmark (issues 14, 25): a loopback TCP echo server and its
// load generator in one program (the harness, the builds and the measurement:
// harness.hpp).
//
// For every request the session sets a request id (connection * 1,000,000 +
// sequence) in a context_var<int>, then runs a small pipeline:
//
//   read 64 B -> set id, read it -> parse(): co_await post, read id
//   -> handle(): co_await post, read id -> write 64 B -> read id ("log")
//
// A request whose id read after a co_await differs from the one it set is
// counted as wrong. Nothing but the context carries the id. The client writes
// 64 B and reads 64 B per request.
//
// Usage: bench_server_<mode> [seconds=2] [connections=32] [warmup_seconds=0.3]

#include "harness.hpp"

#include <array>

namespace {

using namespace bench_server;

constexpr std::size_t message_size = 64;
using message = std::array<char, message_size>;

// A pipeline step: lets other work run (the post may resume on the other
// thread), then reads the id and does a token amount of work with it.
awaitable<bool> parse(message& m, int id)
{
    co_await asio::post(use_awaitable);
    int const seen = request_id.get();
    m[0] = static_cast<char>(m[0] ^ (seen & 1));
    co_return seen == id;
}

awaitable<bool> handle(message& m, int id)
{
    co_await asio::post(use_awaitable);
    int const seen = request_id.get();
    m[0] = static_cast<char>(m[0] ^ (seen & 1)); // undoes parse()'s flip when the ids agree
    co_return seen == id;
}

awaitable<void> session(tcp::socket socket)
{
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    int const conn = connection_id.get();
    message m;
    for(int seq = 0;; ++seq)
    {
        auto [rec, n] = co_await asio::async_read(socket, asio::buffer(m), asio::as_tuple(use_awaitable));
        if(rec)
        {
            break;
        }
        int const id = request_number(conn, seq);
        (void)request_id.set(id); // no reset: the value is the request's until the next one
        bool ok = request_id.get() == id;
        ok &= co_await parse(m, id);
        ok &= co_await handle(m, id);
        auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(m, n), asio::as_tuple(use_awaitable));
        ok &= request_id.get() == id; // the "log" line after the reply
        count_request(ok);
        if(wec)
        {
            break;
        }
        (void)wn;
    }
}

// The client's side of one connection: write 64 B, read 64 B.
struct echo_connection
{
    tcp::socket& socket;
    message m{};

    echo_connection(tcp::socket& s, int): socket(s) {}

    awaitable<void> round_trip()
    {
        co_await asio::async_write(socket, asio::buffer(m), use_awaitable);
        co_await asio::async_read(socket, asio::buffer(m), use_awaitable);
    }
};

} // namespace

int main(int argc, char** argv)
{
    return bench_server::run<echo_connection>(argc, argv, "echo", session);
}
