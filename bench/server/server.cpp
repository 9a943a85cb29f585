// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// End-to-end benchmark (issue 14): a loopback TCP echo server and its load
// generator in one program.
//
// Server: one io_context run by 2 threads, C++20 coroutines. The accept loop
// puts the connection number in a context_var<int> just before it spawns the
// connection's coroutine (as in example/request_id_server.cpp). For every
// request the session sets a request id (connection * 1,000,000 + sequence)
// in a second context_var<int>, then runs a small pipeline:
//
//   read 64 B -> set id, read it -> parse(): co_await post, read id
//   -> handle(): co_await post, read id -> write 64 B -> read id ("log")
//
// A request whose id read after a co_await differs from the one it set is
// counted as wrong. Nothing but the context carries the id.
//
// Client: its own io_context on its own thread, plain Asio, no context vars;
// 32 connections, each a closed loop of write 64 B / read 64 B, for a warm-up
// then a fixed measured window. Requests/s counts the requests started in the
// window; latencies are their round trips.
//
// One source, built three ways (bench/server/CMakeLists.txt):
//   bench_server_plain     plain executors (the ids then leak between
//                          requests that share a thread: the wrong-id count
//                          shows it; the cost of the reads and sets is there)
//   bench_server_ctx       the same with the accept loop and the sessions
//                          co_spawn'ed on cv::context_executor
//   bench_server_tracking  the plain code, with Boost::contextvars_tracking
//
// Usage: bench_server_<mode> [seconds=2] [connections=32] [warmup_seconds=0.3]
// Prints one JSON line.

#include <boost/asio.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
# if defined(BENCH_SERVER_CTX)
#  error "bench_server: ctx and tracking are separate builds"
# endif
constexpr char const* mode_name = "tracking";
constexpr bool use_context_executor = false;
#elif defined(BENCH_SERVER_CTX)
constexpr char const* mode_name = "ctx";
constexpr bool use_context_executor = true;
#else
constexpr char const* mode_name = "plain";
constexpr bool use_context_executor = false;
#endif

namespace {

constexpr std::size_t message_size = 64;
using message = std::array<char, message_size>;

cv::context_var<int> connection_id{"connection_id", 0};
cv::context_var<int> request_id{"request_id", -1};

// Server-side counters (relaxed: read after the threads are joined).
std::atomic<std::uint64_t> served{0};
std::atomic<std::uint64_t> wrong_id{0};

// ---- the server ----------------------------------------------------------------

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
        int const id = (conn % 2000) * 1000000 + seq % 1000000;
        (void)request_id.set(id); // no reset: the value is the request's until the next one
        bool ok = request_id.get() == id;
        ok &= co_await parse(m, id);
        ok &= co_await handle(m, id);
        auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(m, n), asio::as_tuple(use_awaitable));
        ok &= request_id.get() == id; // the "log" line after the reply
        served.fetch_add(1, std::memory_order_relaxed);
        if(!ok)
        {
            wrong_id.fetch_add(1, std::memory_order_relaxed);
        }
        if(wec)
        {
            break;
        }
        (void)wn;
    }
}

template<class Executor>
awaitable<void> accept_loop(tcp::acceptor& acceptor, Executor ex)
{
    for(int conn = 1;; ++conn)
    {
        auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(use_awaitable));
        if(ec)
        {
            co_return;
        }
        // The session starts with a copy of this context, connection number
        // included (ctx and tracking); the guard takes it away here.
        cv::scoped_set guard(connection_id, conn);
        asio::co_spawn(ex, session(std::move(socket)), asio::detached);
    }
}

// ---- the client ----------------------------------------------------------------

struct client_stats
{
    std::vector<std::uint32_t> latency_ns; // requests started in the measured window
};

awaitable<void> client(tcp::endpoint server, client_stats& s, clock_type::time_point begin,
    clock_type::time_point end)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(server, use_awaitable);
    socket.set_option(tcp::no_delay(true));
    message m{};
    for(;;)
    {
        auto const t0 = clock_type::now();
        if(t0 >= end)
        {
            break;
        }
        co_await asio::async_write(socket, asio::buffer(m), use_awaitable);
        co_await asio::async_read(socket, asio::buffer(m), use_awaitable);
        if(t0 >= begin)
        {
            auto const ns = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now() - t0).count();
            s.latency_ns.push_back(static_cast<std::uint32_t>(std::min<long long>(ns, UINT32_MAX)));
        }
    }
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
}

} // namespace

int main(int argc, char** argv)
{
    double const seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    int const connections = argc > 2 ? std::atoi(argv[2]) : 32;
    double const warmup = argc > 3 ? std::atof(argv[3]) : 0.3;
    if(seconds <= 0 || connections <= 0 || warmup < 0)
    {
        std::fprintf(stderr, "usage: %s [seconds=2] [connections=32] [warmup_seconds=0.3]\n", argv[0]);
        return 2;
    }

    // The server.
    asio::io_context server_io(2);
    tcp::acceptor acceptor(server_io, {asio::ip::make_address("127.0.0.1"), 0});
    acceptor.listen(asio::socket_base::max_listen_connections);
    auto const endpoint = acceptor.local_endpoint();
    if constexpr(use_context_executor)
    {
        cv::context_executor ex(server_io.get_executor());
        asio::co_spawn(ex, accept_loop(acceptor, ex), asio::detached);
    }
    else
    {
        auto ex = server_io.get_executor();
        asio::co_spawn(ex, accept_loop(acceptor, ex), asio::detached);
    }
    std::vector<std::thread> server_threads;
    for(int i = 0; i < 2; ++i)
    {
        server_threads.emplace_back([&] { server_io.run(); });
    }

    // The client.
    asio::io_context client_io(1);
    auto const begin = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                               std::chrono::duration<double>(warmup));
    auto const end = begin + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
    std::vector<client_stats> stats(static_cast<std::size_t>(connections));
    std::atomic<int> client_errors{0};
    for(auto& s: stats)
    {
        s.latency_ns.reserve(1 << 16);
        asio::co_spawn(client_io, client(endpoint, s, begin, end), [&](std::exception_ptr e) {
            if(e)
            {
                ++client_errors;
            }
        });
    }
    std::thread client_thread([&] { client_io.run(); });
    client_thread.join();

    // Stop accepting; the sessions end on the clients' EOF.
    asio::post(server_io, [&] { acceptor.close(); });
    for(auto& t: server_threads)
    {
        t.join();
    }

    std::vector<std::uint32_t> all;
    for(auto& s: stats)
    {
        all.insert(all.end(), s.latency_ns.begin(), s.latency_ns.end());
    }
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
        if(all.empty())
        {
            return 0.0;
        }
        auto i = static_cast<std::size_t>(p * static_cast<double>(all.size() - 1));
        return all[i] / 1000.0;
    };
    std::printf("{\"mode\": \"%s\", \"connections\": %d, \"seconds\": %g, \"requests\": %zu, \"rps\": %.1f, "
                "\"p50_us\": %.2f, \"p99_us\": %.2f, \"served\": %llu, \"wrong_id\": %llu, \"client_errors\": %d}\n",
        mode_name, connections, seconds, all.size(), static_cast<double>(all.size()) / seconds, pct(0.50),
        pct(0.99), static_cast<unsigned long long>(served.load()), static_cast<unsigned long long>(wrong_id.load()),
        client_errors.load());
    return client_errors.load() == 0 && !all.empty() ? 0 : 1;
}
