// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// What the real-world corpus (test/realworld/*.cpp) shares: the per-connection
// id that every server keeps in a context_var, the check that compares it with
// the id the session object knows, the command line (`--expect zero` for the
// builds with whole-program tracking, `--expect most` for the plain builds,
// which proves that the checks can fail), the frame of every main() (watchdog
// that turns a hang into a failure with a message, timing, the final
// "N checks, M wrong" verdict), the server's thread pool, the accept loop of
// the coroutine servers, the running of the load clients, and the line client
// of the echo and proxy programs. Each program is an ordinary Asio server;
// only these checks know about the library.

#ifndef BOOST_CONTEXTVARS_TEST_REALWORLD_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_REALWORLD_HPP_INCLUDED

#include <boost/asio.hpp>
#include <boost/contextvars.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace realworld {

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
constexpr bool tracking = true;
#else
constexpr bool tracking = false;
#endif

// The connection's id, set once by the code that starts a session.
inline cv::context_var<int> conn_id("conn_id");

struct options
{
    bool expect_zero = tracking;
    int connections = 120;
    int messages = 5;
};

inline void usage(char const* argv0)
{
    std::cerr << "usage: " << argv0 << " [--expect zero|most] [--connections N] [--messages N]\n"
              << "  --expect zero  fail unless every check saw its own connection's id (tracking builds)\n"
              << "  --expect most  fail unless more than half of the checks saw a wrong id (plain builds)\n";
    std::exit(2);
}

inline options parse(int argc, char** argv)
{
    options o;
    for(int i = 1; i < argc; ++i)
    {
        std::string_view a = argv[i];
        if(i + 1 >= argc)
        {
            usage(argv[0]);
        }
        std::string_view v = argv[++i];
        if(a == "--expect" && (v == "zero" || v == "most"))
        {
            o.expect_zero = v == "zero";
        }
        else if(a == "--connections")
        {
            o.connections = std::atoi(argv[i]);
        }
        else if(a == "--messages")
        {
            o.messages = std::atoi(argv[i]);
        }
        else
        {
            usage(argv[0]);
        }
    }
    if(o.connections < 1 || o.messages < 3)
    {
        usage(argv[0]);
    }
    return o;
}

// ---- the checks -------------------------------------------------------------------

inline std::atomic<long> checks{0};
inline std::atomic<long> wrong{0};
inline std::atomic<long> failures{0}; // errors that mean the run itself went wrong

// Wrong checks by place, for the verdict.
inline std::mutex wrong_mutex;
inline std::map<std::string, long> wrong_where;

// Called at every step of a session: the variable must hold this session's id.
// With `expected` 0, in the code that accepts and starts sessions: it must hold
// none (a session's id must not leak into its spawner).
inline void check(int expected, char const* where)
{
    ++checks;
    int const* seen = conn_id.try_get();
    if(expected == 0 ? seen != nullptr : !seen || *seen != expected)
    {
        {
            std::lock_guard<std::mutex> lock(wrong_mutex);
            ++wrong_where[where];
        }
        // A few samples say where it goes wrong, without flooding a plain build's log.
        if(++wrong <= 3)
        {
            std::string line = std::string("wrong id ") + (seen ? std::to_string(*seen) : "(none)");
            line += expected ? " in connection " + std::to_string(expected) : std::string(" outside connections");
            line += std::string(" at ") + where + "\n";
            std::fputs(line.c_str(), stdout);
        }
    }
}

// An unexpected error: printed (the first few) and counted; the run fails.
inline void fail(std::string const& what)
{
    if(++failures <= 5)
    {
        std::fputs(("error: " + what + "\n").c_str(), stdout);
    }
}

// A completion handler for co_spawn / asio::spawn: an escaped exception is a failure.
struct report_exception
{
    char const* who;
    void operator()(std::exception_ptr e) const
    {
        if(e)
        {
            try
            {
                std::rethrow_exception(e);
            }
            catch(std::exception const& x)
            {
                fail(std::string(who) + ": " + x.what());
            }
        }
    }
};

// ---- the watchdog ---------------------------------------------------------------

// Aborts the process, with a message, if the run is not over within `limit`:
// a hang must fail the test, not stall CI until ctest's timeout.
class watchdog
{
public:
    watchdog(char const* name, std::chrono::seconds limit = std::chrono::seconds(60)):
        thread_([this, name, limit] {
            std::unique_lock<std::mutex> lock(mutex_);
            if(!cond_.wait_for(lock, limit, [this] { return done_; }))
            {
                std::fprintf(stdout, "watchdog: %s did not finish within %d s (%ld checks, %ld wrong so far)\n", name,
                             static_cast<int>(limit.count()), checks.load(), wrong.load());
                std::fflush(stdout);
                std::abort();
            }
        })
    {
    }

    watchdog(watchdog const&) = delete;
    watchdog& operator=(watchdog const&) = delete;

    ~watchdog()
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        cond_.notify_one();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable cond_;
    bool done_ = false;
    std::thread thread_;
};

// ---- running ----------------------------------------------------------------------

constexpr int server_threads = 3;

// Runs `ioc` on `n` threads until it runs out of work.
class runner
{
public:
    runner(asio::io_context& ioc, int n)
    {
        for(int i = 0; i < n; ++i)
        {
            threads_.emplace_back([&ioc] { ioc.run(); });
        }
    }

    runner(runner const&) = delete;
    runner& operator=(runner const&) = delete;

    ~runner()
    {
        join();
    }

    void join()
    {
        for(std::thread& t: threads_)
        {
            if(t.joinable())
            {
                t.join();
            }
        }
    }

private:
    std::vector<std::thread> threads_;
};

inline tcp::endpoint loopback()
{
    return {asio::ip::make_address("127.0.0.1"), 0};
}

// The frame of every program's main(), around its server and clients: parses
// the command line, guards the run with a watchdog, times it, and gives the
// verdict.
class program
{
public:
    program(char const* name, int argc, char** argv): name_(name), options_(parse(argc, argv)), dog_(name) {}

    options const& opts() const
    {
        return options_;
    }

    // Prints the verdict and returns the exit status. Every message makes at
    // least one check: fewer means the run did not happen. `client_ok`: the
    // load client saw what it expected.
    int verdict(bool client_ok) const
    {
        options const& o = options_;
        long min_checks = static_cast<long>(o.connections) * o.messages;
        long n = checks.load(), m = wrong.load();
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::printf("%s: %s, %d connections, %d server threads, %.2f s\n", name_,
                    tracking ? "whole-program tracking" : "no tracking", o.connections, server_threads, secs);
        for(auto const& [where, count]: wrong_where)
        {
            std::printf("  wrong at %s: %ld\n", where.c_str(), count);
        }
        std::printf("%ld checks, %ld wrong\n", n, m);
        bool ok = failures == 0 && client_ok && n >= min_checks && (o.expect_zero ? m == 0 : 2 * m > n);
        if(!ok)
        {
            std::printf("FAILED: expected %s wrong of at least %ld checks%s%s\n",
                        o.expect_zero ? "none" : "more than half", min_checks,
                        failures ? ", and errors happened" : "", client_ok ? "" : ", and the client did not finish");
        }
        std::fflush(stdout);
        return ok ? 0 : 1;
    }

private:
    char const* name_;
    options options_;
    watchdog dog_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// ---- the coroutine servers' accept loop ----------------------------------------------

// Accepts until the acceptor is closed, co_spawning session(socket, id) for each
// connection, with ids from `first_id` on; the session sets its id itself.
template<class Session>
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, int first_id, Session session)
{
    auto ex = co_await asio::this_coro::executor;
    for(int id = first_id;; ++id)
    {
        auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        check(0, "accept loop, after accept");
        if(ec)
        {
            co_return; // closed at the end of the run
        }
        asio::co_spawn(ex, session(std::move(socket), id), report_exception{"session"});
        check(0, "accept loop, after co_spawn");
    }
}

// ---- the load clients -----------------------------------------------------------------

// Runs `o.connections` clients at once against `server` on the clients' own
// io_context and thread: client(server, k, o.messages, finished) for k from 1,
// each counting itself in `finished` when done. Returns whether they all finished.
template<class Client>
bool run_clients(tcp::endpoint server, options const& o, Client client)
{
    asio::io_context ioc;
    std::atomic<int> finished{0};
    for(int k = 1; k <= o.connections; ++k)
    {
        asio::co_spawn(ioc, client(server, k, o.messages, finished), report_exception{"client"});
    }
    ioc.run();
    return finished == o.connections;
}

// ---- the line client (echo and proxy) ---------------------------------------------

// One client connection: `messages` lines, each echoed back; every 8th client
// closes after sending its second line without waiting for the echo, while
// the server's write of it may be pending.
inline asio::awaitable<void> line_client(tcp::endpoint server, int k, int messages, std::atomic<int>& finished)
{
    auto ex = co_await asio::this_coro::executor;
    tcp::socket socket(ex);
    co_await socket.async_connect(server, asio::use_awaitable);
    bool early = k % 8 == 0;
    std::string buf;
    for(int j = 0; j < messages; ++j)
    {
        std::string line = "client " + std::to_string(k) + " line " + std::to_string(j) + "\n";
        co_await asio::async_write(socket, asio::buffer(line), asio::use_awaitable);
        if(early && j == 1)
        {
            socket.close();
            ++finished;
            co_return;
        }
        std::size_t n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n', asio::use_awaitable);
        if(buf.compare(0, n, line) != 0)
        {
            fail("client " + std::to_string(k) + ": bad echo " + buf.substr(0, n));
        }
        buf.erase(0, n);
    }
    socket.shutdown(tcp::socket::shutdown_send);
    // The server's last word: end of stream.
    auto [ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n',
                                                   asio::as_tuple(asio::use_awaitable));
    if(ec != asio::error::eof)
    {
        fail("client " + std::to_string(k) + ": expected end of stream, got " + ec.message());
    }
    ++finished;
}

} // namespace realworld

#endif
