// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A request id that follows each connection through C++20 coroutines on two
// threads and a thread pool, down to helper functions that never receive it.
//
// A TCP echo server on 127.0.0.1 runs on an io_context served by two threads.
// The accept loop puts a request id into a context_var<int> just before it
// spawns a connection's coroutine, which starts with a copy of that context.
// The helpers parse -> validate -> store -> audit take no id: the logger reads
// it from the variable. Timers, posts and the usual offload idiom,
// co_await post(bind_executor(pool, use_awaitable)), make the connections
// interleave on every thread.
//
// The same source is built two ways:
// - request_id_server_tracking, with whole-program tracking (CMake target
//   Boost::contextvars_tracking): plain executors, plain co_spawn, plain
//   bind_executor, no wrapper anywhere, and every line is right;
// - request_id_server, without it: the coroutines are spawned on a
//   context_executor and hop through one; with --plain it runs the same
//   unwrapped code as the tracking build, which then shows what nothing
//   propagating the context looks like.
//
// A built-in client opens 50 connections at once. The server greets each with
// its id, the client sends back "request <id>: hello", and every log line
// quotes that message. The program checks that each line's [req=N] is the id
// inside the message it talks about, prints a summary, and exits 0 only if all
// of them match.

#include <boost/asio.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <atomic>
#include <charconv>
#include <chrono>
#include <exception>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

constexpr int connections = 50;

#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
constexpr bool tracking = true;
#else
constexpr bool tracking = false;
#endif

// context_executor wrappers, or the plain Asio code an existing service has.
bool wrapped = !tracking;
asio::thread_pool* pool = nullptr;

cv::context_var<int> request_id("request_id");

// ---- a tiny logger: it knows nothing about connections ------------------------

std::mutex log_mutex;
std::vector<std::string> log_lines;
std::set<std::thread::id> log_threads;

void log(std::string_view msg)
{
    int const* id = request_id.try_get();
    std::string line = "[req=" + (id ? std::to_string(*id) : "?") + "] " + std::string(msg);
    std::lock_guard<std::mutex> lock(log_mutex);
    if(log_lines.size() < 10)
    {
        std::cout << line << '\n';
    }
    log_lines.push_back(std::move(line));
    log_threads.insert(std::this_thread::get_id());
}

// ---- request handling: none of these functions is given the id ----------------

// Lets other connections run for a moment: a short timer, then a post, which
// may resume this coroutine on the other thread.
awaitable<void> let_others_run()
{
    static std::atomic<int> n{0};
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex, std::chrono::microseconds(n++ % 5 * 400));
    co_await timer.async_wait(use_awaitable);
    // Offload to the pool and come back: the idiom of many services.
    if(wrapped)
    {
        cv::context_executor pool_ex(pool->get_executor());
        co_await asio::post(asio::bind_executor(pool_ex, use_awaitable));
    }
    else
    {
        co_await asio::post(asio::bind_executor(*pool, use_awaitable));
    }
    co_await asio::post(ex, use_awaitable);
}

void audit(std::string const& msg)
{
    log("audit    \"" + msg + "\"");
}

awaitable<void> store(std::string const& msg)
{
    log("store    \"" + msg + "\"");
    co_await let_others_run();
    audit(msg);
}

awaitable<void> validate(std::string const& msg)
{
    log("validate \"" + msg + "\"");
    if(msg.find(": ") == std::string::npos)
    {
        throw std::runtime_error("malformed request: " + msg);
    }
    co_await let_others_run();
    co_await store(msg);
}

awaitable<void> parse(std::string const& msg)
{
    log("parse    \"" + msg + "\"");
    co_await let_others_run();
    co_await validate(msg);
}

// ---- the server -----------------------------------------------------------------

awaitable<void> session(tcp::socket socket)
{
    // Tell the client its id, so that it can quote it in its request.
    std::string greeting = "id " + std::to_string(request_id.get()) + "\n";
    co_await asio::async_write(socket, asio::buffer(greeting), use_awaitable);

    std::string msg;
    std::size_t n = co_await asio::async_read_until(socket, asio::dynamic_buffer(msg), '\n', use_awaitable);
    msg.resize(n - 1);
    log("received \"" + msg + "\"");
    co_await parse(msg);

    log("replying \"" + msg + "\"");
    co_await asio::async_write(socket, asio::buffer(msg + "\n"), use_awaitable);
    log("replied  \"" + msg + "\"");
}

std::atomic<int> failures{0};

void report(std::exception_ptr e)
{
    if(e)
    {
        try
        {
            std::rethrow_exception(e);
        }
        catch(std::exception const& x)
        {
            std::cerr << "error: " << x.what() << '\n';
        }
        ++failures;
    }
}

awaitable<void> accept_loop(tcp::acceptor& acceptor)
{
    auto ex = co_await asio::this_coro::executor; // a context_executor, or plain
    for(int id = 1; id <= connections; ++id)
    {
        tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
        // The session starts with a copy of this context, id included. The
        // accept loop's own value goes away with the guard.
        cv::scoped_set guard(request_id, id);
        asio::co_spawn(ex, session(std::move(socket)), report);
    }
}

// ---- the client: one coroutine per connection, no context variables ----------

std::mutex ids_mutex;
std::set<int> ids_echoed;

awaitable<void> client(tcp::endpoint server)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(server, use_awaitable);

    std::string buf;
    std::size_t n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n', use_awaitable);
    int id = std::stoi(buf.substr(3, n - 4)); // "id <N>\n"
    buf.erase(0, n);

    std::string msg = "request " + std::to_string(id) + ": hello\n";
    co_await asio::async_write(socket, asio::buffer(msg), use_awaitable);
    n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n', use_awaitable);
    if(buf.substr(0, n) != msg)
    {
        throw std::runtime_error("bad echo: " + buf);
    }
    std::lock_guard<std::mutex> lock(ids_mutex);
    ids_echoed.insert(id);
}

// ---- checking the log -------------------------------------------------------------

// The number right after `key` in `line`, or -1.
int number_after(std::string_view line, std::string_view key)
{
    std::size_t pos = line.find(key);
    int n = -1;
    if(pos != std::string_view::npos)
    {
        std::from_chars(line.data() + pos + key.size(), line.data() + line.size(), n);
    }
    return n;
}

int main(int argc, char** argv)
{
    if(argc > 1 && std::string_view(argv[1]) == "--plain")
    {
        wrapped = false;
    }
    std::cout << (tracking ? "whole-program tracking, plain executors, no wrappers\n"
                           : wrapped ? "no tracking, coroutines on a context_executor\n"
                                     : "no tracking, plain executors, no wrappers\n");
    asio::io_context ioc;
    asio::thread_pool workers(2);
    pool = &workers;
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});

    if(wrapped)
    {
        asio::co_spawn(cv::context_executor(ioc.get_executor()), accept_loop(acceptor), report);
    }
    else
    {
        asio::co_spawn(ioc, accept_loop(acceptor), report);
    }
    for(int i = 0; i < connections; ++i)
    {
        asio::co_spawn(ioc, client(acceptor.local_endpoint()), report);
    }

    // Two threads; both return when all the work is done (or after 4 s).
    std::thread second([&] { ioc.run_for(std::chrono::seconds(4)); });
    ioc.run_for(std::chrono::seconds(4));
    second.join();
    workers.join();

    int wrong = 0, switches = 0, previous = 0;
    for(std::string const& line: log_lines)
    {
        int logged = number_after(line, "[req=");
        if(logged != number_after(line, "\"request "))
        {
            if(++wrong <= 5)
            {
                std::cout << "WRONG: " << line << '\n';
            }
        }
        switches += logged != previous;
        previous = logged;
    }

    std::cout << "...\n"
              << ids_echoed.size() << " connections, " << log_lines.size() << " log lines, " << wrong
              << " with the wrong request id\n"
              << "(written by " << log_threads.size() << " threads, switching between requests " << switches
              << " times)\n";

    bool ok = failures == 0 && wrong == 0 && ids_echoed.size() == connections &&
              *ids_echoed.begin() == 1 && *ids_echoed.rbegin() == connections &&
              log_lines.size() == 7u * connections && switches > connections;
    if(!ok)
    {
        std::cout << "FAILED";
        if(!tracking && !wrapped)
        {
            std::cout << " (as expected: nothing propagates the context in plain Asio; build with "
                         "Boost::contextvars_tracking, or wrap the executors)";
        }
        std::cout << '\n';
    }
    return ok ? 0 : 1;
}
