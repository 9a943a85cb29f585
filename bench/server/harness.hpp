#ifndef BOOST_CONTEXTVARS_BENCH_SERVER_HARNESS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_BENCH_SERVER_HARNESS_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// What the end-to-end servers of bench/server share (echo.cpp, beast.cpp):
// the build mode, the two context vars and the counters, the accept loop,
// the closed-loop client, and the measurement.
//
// Server: one io_context run by 2 threads, C++20 coroutines. The accept loop
// puts the connection number in a context_var<int> just before it spawns the
// connection's session (as in example/request_id_server.cpp); the session
// sets a request id per request and counts the request as wrong if a later
// read of the id differs from the one it set.
//
// Client: its own io_context on its own thread, plain Asio, no context vars,
// N connections on 127.0.0.1, each a closed loop of request / response, for a
// warm-up then a fixed measured window. Requests/s counts the requests
// started in the window; latencies are their round trips.
//
// Server CPU: the client runs in the same process, so getrusage(RUSAGE_SELF)
// would count it too. Instead the main thread reads the CPU-time clocks of the
// two server threads (pthread_getcpuclockid: user + system time of that
// thread, in nanoseconds) and the served-requests counter at the start and at
// the end of the measured window: CPU per request = (CPU time of the server
// threads) / (requests the server completed) over the window. The user/system
// split comes from /proc/self/task/<tid>/stat (clock ticks, 10 ms).
//
// One source per server, built three ways (bench/server/CMakeLists.txt):
//   <server>_plain     plain executors (the ids then leak between requests
//                      that share a thread: the wrong-id count shows it; the
//                      cost of the reads and sets is there)
//   <server>_ctx       the accept loop and the sessions co_spawn'ed on
//                      cv::context_executor
//   <server>_tracking  the plain code, with Boost::contextvars_tracking
//
// Usage: bench_<server>_<mode> [seconds=2] [connections=32] [warmup_seconds=0.3]
// Prints one JSON line.

#include <boost/asio.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace bench_server {

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

inline cv::context_var<int> connection_id{"connection_id", 0};
inline cv::context_var<int> request_id{"request_id", -1};

// Server-side counters (relaxed: exact once the threads are joined; read
// while running only to delimit the measured window).
inline std::atomic<std::uint64_t> served{0};
inline std::atomic<std::uint64_t> wrong_id{0};

inline void count_request(bool ok)
{
    served.fetch_add(1, std::memory_order_relaxed);
    if(!ok)
    {
        wrong_id.fetch_add(1, std::memory_order_relaxed);
    }
}

// The request id of request `seq` on connection `conn`.
inline int request_number(int conn, int seq)
{
    return (conn % 2000) * 1000000 + seq % 1000000;
}

// Accepts connections and co_spawns session(socket) on `ex` for each.
template<class Executor, class Session>
awaitable<void> accept_loop(tcp::acceptor& acceptor, Executor ex, Session session)
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

// Round trips of the requests started in the measured window.
struct client_stats
{
    std::vector<std::uint32_t> latency_ns;
};

// One connection's closed loop. Connection(socket, index) holds the
// protocol's buffers; co_await c.round_trip() sends one request and reads its
// response.
template<class Connection>
awaitable<void> client(tcp::endpoint server, int index, client_stats& s, clock_type::time_point begin,
    clock_type::time_point end)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(server, use_awaitable);
    socket.set_option(tcp::no_delay(true));
    Connection c(socket, index);
    for(;;)
    {
        auto const t0 = clock_type::now();
        if(t0 >= end)
        {
            break;
        }
        co_await c.round_trip();
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

// ---- the server's CPU time ---------------------------------------------------------

struct cpu_sample
{
    double cpu_s = 0;           // user + system of the server threads (thread CPU clocks)
    long long user_ticks = 0;   // /proc/self/task/<tid>/stat, summed over the threads
    long long system_ticks = 0;
    std::uint64_t served = 0;
};

// utime and stime (fields 14 and 15) of /proc/self/task/<tid>/stat.
inline void add_ticks(pid_t tid, cpu_sample& s)
{
    std::ifstream f("/proc/self/task/" + std::to_string(tid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto const close = stat.rfind(')'); // the command name may hold spaces
    if(close == std::string::npos)
    {
        return;
    }
    // After ") " come field 3 (state) onwards: utime is the 12th of those.
    char const* p = stat.c_str() + close + 2;
    for(int field = 3; field < 14 && *p; ++field)
    {
        p = std::strchr(p, ' ');
        if(p == nullptr)
        {
            return;
        }
        ++p;
    }
    char* next = nullptr;
    s.user_ticks += std::strtoll(p, &next, 10);
    s.system_ticks += std::strtoll(next, nullptr, 10);
}

inline cpu_sample sample_cpu(std::vector<clockid_t> const& clocks, std::vector<pid_t> const& tids)
{
    cpu_sample s;
    s.served = served.load(std::memory_order_relaxed);
    for(clockid_t c: clocks)
    {
        timespec ts{};
        clock_gettime(c, &ts);
        s.cpu_s += static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    }
    for(pid_t t: tids)
    {
        add_ticks(t, s);
    }
    return s;
}

// ---- the run ---------------------------------------------------------------------

// Starts the server (session: awaitable<void>(tcp::socket)) and the client
// (Connection, see client()), measures, prints one JSON line.
template<class Connection, class Session>
int run(int argc, char** argv, char const* server_name, Session session)
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
        asio::co_spawn(ex, accept_loop(acceptor, ex, session), asio::detached);
    }
    else
    {
        auto ex = server_io.get_executor();
        asio::co_spawn(ex, accept_loop(acceptor, ex, session), asio::detached);
    }
    constexpr int server_thread_count = 2;
    std::vector<pid_t> tids(server_thread_count, 0);
    std::atomic<int> started{0};
    std::vector<std::thread> server_threads;
    for(int i = 0; i < server_thread_count; ++i)
    {
        server_threads.emplace_back([&, i] {
            tids[static_cast<std::size_t>(i)] = static_cast<pid_t>(::syscall(SYS_gettid));
            started.fetch_add(1);
            server_io.run();
        });
    }
    std::vector<clockid_t> clocks;
    for(auto& t: server_threads)
    {
        clockid_t c{};
        if(pthread_getcpuclockid(t.native_handle(), &c) == 0)
        {
            clocks.push_back(c);
        }
    }
    while(started.load() < server_thread_count)
    {
        std::this_thread::yield();
    }

    // The client.
    asio::io_context client_io(1);
    auto const begin = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                               std::chrono::duration<double>(warmup));
    auto const end = begin + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
    std::vector<client_stats> stats(static_cast<std::size_t>(connections));
    std::atomic<int> client_errors{0};
    for(std::size_t i = 0; i < stats.size(); ++i)
    {
        stats[i].latency_ns.reserve(1 << 16);
        asio::co_spawn(client_io, client<Connection>(endpoint, static_cast<int>(i) + 1, stats[i], begin, end),
            [&](std::exception_ptr e) {
                if(e)
                {
                    ++client_errors;
                }
            });
    }
    std::thread client_thread([&] { client_io.run(); });

    // The measured window, seen from the server's side.
    std::this_thread::sleep_until(begin);
    cpu_sample const first = sample_cpu(clocks, tids);
    std::this_thread::sleep_until(end);
    cpu_sample const last = sample_cpu(clocks, tids);
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
    auto const window_served = last.served - first.served;
    double const cpu = last.cpu_s - first.cpu_s;
    long long const user = last.user_ticks - first.user_ticks, system = last.system_ticks - first.system_ticks;
    std::printf("{\"server\": \"%s\", \"mode\": \"%s\", \"connections\": %d, \"seconds\": %g, \"requests\": %zu, "
                "\"rps\": %.1f, \"p50_us\": %.2f, \"p99_us\": %.2f, \"served\": %llu, \"wrong_id\": %llu, "
                "\"client_errors\": %d, \"window_served\": %llu, \"server_cpu_s\": %.6f, \"cpu_us_per_req\": %.4f, "
                "\"user_ticks\": %lld, \"system_ticks\": %lld}\n",
        server_name, mode_name, connections, seconds, all.size(), static_cast<double>(all.size()) / seconds,
        pct(0.50), pct(0.99), static_cast<unsigned long long>(served.load()),
        static_cast<unsigned long long>(wrong_id.load()), client_errors.load(),
        static_cast<unsigned long long>(window_served), cpu,
        window_served ? cpu * 1e6 / static_cast<double>(window_served) : 0.0, user, system);
    return client_errors.load() == 0 && !all.empty() && window_served != 0 ? 0 : 1;
}

} // namespace bench_server

#endif
