// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The C++20 (coroutine) code shown in the documentation, compiled and run.
// Each `tag::name[]` ... `end::name[]` region is included by a page of doc/;
// each test case runs one snippet and checks that it does what the text says.
// Edit a snippet here, never in the .adoc files.

#include <boost/contextvars/asio.hpp>

#define BOOST_TEST_MODULE doc_snippets_coro
#include <boost/test/unit_test.hpp>

#include "locked_check.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace cv = boost::contextvars;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

template<class F>
void isolated(F&& f)
{
    cv::context ctx;
    ctx.run(std::forward<F>(f));
}

void run_on_two_threads(asio::io_context& io)
{
    std::thread t([&] { io.run(); });
    io.run();
    t.join();
}

// What the overview's log() writes to: lines, safe to append from two threads.
struct log_sink
{
    std::mutex mutex;
    std::vector<std::string> lines;

    void push_back(std::string line)
    {
        std::lock_guard<std::mutex> lock(mutex);
        lines.push_back(std::move(line));
    }
};

log_sink log_lines;

} // namespace

// ---------------------------------------------------------------------------
// Overview: the problem, and the fix.

namespace problem {

// tag::overview_problem[]
thread_local int request_id = 0;               // "the request this thread is handling"

void log(std::string const& what)              // deep in the call tree: no id parameter
{
    log_lines.push_back("[req=" + std::to_string(request_id) + "] " + what);
}

asio::awaitable<void> handle(int id)
{
    request_id = id;
    log("start " + std::to_string(id));
    co_await asio::post(asio::use_awaitable);  // any suspension: a read, a timer, a lock...
    log("done " + std::to_string(id));         // whose id is this now?
}

void serve(asio::io_context& io)
{
    for(int id = 1; id <= 3; ++id)
        asio::co_spawn(io, handle(id), asio::detached);
    io.run();
}
// end::overview_problem[]

} // namespace problem

BOOST_AUTO_TEST_CASE(overview_problem)
{
    log_lines.lines.clear();
    asio::io_context io;
    problem::serve(io);
    // The output the overview shows, on one thread; two threads only add
    // resumptions on the other thread's copy of the variable.
    std::vector<std::string> expected = {
        "[req=1] start 1", "[req=2] start 2", "[req=3] start 3",
        "[req=3] done 1", "[req=3] done 2", "[req=3] done 3"};
    BOOST_TEST(log_lines.lines == expected, boost::test_tools::per_element());
}

namespace fix {

// tag::overview_fix[]
cv::context_var<int> request_id("request_id", 0);

void log(std::string const& what)
{
    log_lines.push_back("[req=" + std::to_string(request_id.get()) + "] " + what);
}

asio::awaitable<void> handle(int id)
{
    request_id.set(id);                        // in this coroutine's own context
    log("start " + std::to_string(id));
    co_await asio::post(asio::use_awaitable);
    log("done " + std::to_string(id));         // always this request's id, on any thread
}

void serve(asio::io_context& io)
{
    cv::context_executor ex(io);               // the one other change
    for(int id = 1; id <= 3; ++id)
        asio::co_spawn(ex, handle(id), asio::detached);
    io.run();
}
// end::overview_fix[]

} // namespace fix

BOOST_AUTO_TEST_CASE(overview_fix)
{
    isolated([] {
        log_lines.lines.clear();
        asio::io_context io;
        fix::serve(io);
        std::vector<std::string> expected = {
            "[req=1] start 1", "[req=2] start 2", "[req=3] start 3",
            "[req=1] done 1", "[req=2] done 2", "[req=3] done 3"};
        BOOST_TEST(log_lines.lines == expected, boost::test_tools::per_element());
    });
}

BOOST_AUTO_TEST_CASE(overview_fix_two_threads)
{
    isolated([] {
        log_lines.lines.clear();
        asio::io_context io;
        cv::context_executor ex(io);
        for(int id = 1; id <= 50; ++id)
        {
            asio::co_spawn(ex, fix::handle(id), asio::detached);
        }
        run_on_two_threads(io);
        BOOST_TEST(log_lines.lines.size() == 100u);
        for(std::string const& line: log_lines.lines)
        {
            // "[req=N] start N" or "[req=N] done N": the two numbers agree
            std::string id = line.substr(5, line.find(']') - 5);
            BOOST_TEST(line.substr(line.rfind(' ') + 1) == id);
        }
    });
}

// ---------------------------------------------------------------------------
// Asio guide: coroutines.

cv::context_var<int> request_id("request_id", 0);

// tag::coro_session[]
asio::awaitable<int> current_id()                // awaited, not spawned: shares the caller's context
{
    co_return request_id.get();
}

asio::awaitable<void> session()
{
    BOOST_TEST(request_id.get() == 1);           // starts with a copy of the spawner's context
    request_id.set(2);                           // its own sets persist across every co_await
    co_await asio::post(asio::use_awaitable);
    asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
    co_await timer.async_wait(asio::use_awaitable);
    BOOST_TEST(request_id.get() == 2);
    BOOST_TEST(co_await current_id() == 2);

    auto child = []() -> asio::awaitable<int> {  // a nested co_spawn forks again
        request_id.set(3);
        co_return request_id.get();
    };
    int r = co_await asio::co_spawn(co_await asio::this_coro::executor, child(), asio::use_awaitable);
    BOOST_TEST(r == 3);
    BOOST_TEST(request_id.get() == 2);           // the child's set stayed in the child
}
// end::coro_session[]

BOOST_AUTO_TEST_CASE(coro_co_spawn)
{
    isolated([] {
        int done = 0;
        // tag::coro_co_spawn[]
        asio::io_context io;
        cv::context_executor ex(io);

        request_id.set(1);
        asio::co_spawn(ex, session(), [&](std::exception_ptr e) {
            BOOST_TEST(!e);
            BOOST_TEST(request_id.get() == 1);   // the completion: the context at co_spawn
            ++done;
        });
        request_id.set(5);                       // not seen by the coroutine or its completion
        io.run();
        BOOST_TEST(request_id.get() == 5);       // and the coroutine's sets never come back
        // end::coro_co_spawn[]
        BOOST_TEST(done == 1);
    });
}

BOOST_AUTO_TEST_CASE(coro_bind_context_token)
{
    isolated([] {
        int done = 0;
        // tag::coro_bind_context_token[]
        asio::io_context io;                     // a plain executor

        request_id.set(1);
        asio::co_spawn(io, session(), cv::bind_context([&](std::exception_ptr e) {
            BOOST_TEST(!e);                      // the body ran in its own context, as above
            BOOST_TEST(request_id.get() == 1);   // and so does the completion handler
            ++done;
        }));
        request_id.set(5);
        io.run();
        // end::coro_bind_context_token[]
        BOOST_TEST(done == 1);
    });
}

// tag::coro_guard[]
asio::awaitable<void> guarded(int id)
{
    request_id.set(id);
    {
        cv::scoped_set guard(request_id, -id);   // made before the co_await ...
        cv::token<int> token = request_id.set(-2 * id);
        auto ex = co_await asio::this_coro::executor;
        for(int i = 0; i < 5; ++i)
            co_await asio::post(ex, asio::use_awaitable); // ... each may resume on the other thread
        CHECK(request_id.get() == -2 * id);
        request_id.reset(token);                 // the same context: no token_error
        CHECK(request_id.get() == -id);
    }                                            // the guard restores id
    CHECK(request_id.get() == id);
}
// end::coro_guard[]

BOOST_AUTO_TEST_CASE(coro_scoped_set_across_co_await)
{
    isolated([] {
        std::atomic<int> done{0};
        asio::io_context io;
        cv::context_executor ex(io);
        for(int id = 1; id <= 100; ++id)
        {
            asio::co_spawn(ex, guarded(id), [&](std::exception_ptr e) {
                CHECK(!e);
                ++done;
            });
        }
        run_on_two_threads(io);
        BOOST_TEST(done == 100);
    });
}

// tag::coro_own_context[]
asio::awaitable<void> keeps_its_context()
{
    cv::context other;
    other.run([] { request_id.set(100); });

    request_id.set(1);
    asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
    co_await timer.async_wait(cv::bind_context(other, asio::use_awaitable));
    BOOST_TEST(request_id.get() == 1);           // a coroutine resumes in its own context
}
// end::coro_own_context[]

BOOST_AUTO_TEST_CASE(coro_resumes_in_own_context)
{
    isolated([] {
        int done = 0;
        asio::io_context io;
        asio::co_spawn(cv::context_executor(io), keeps_its_context(), [&](std::exception_ptr e) {
            BOOST_TEST(!e);
            ++done;
        });
        io.run();
        BOOST_TEST(done == 1);
    });
}

// tag::coro_explicit_context[]
asio::awaitable<int> add_one()
{
    request_id.set(request_id.get() + 1);
    co_return request_id.get();
}
// end::coro_explicit_context[]

BOOST_AUTO_TEST_CASE(coro_explicit_context)
{
    isolated([] {
        std::vector<int> results;
        // tag::coro_explicit_context_use[]
        cv::context ctx;
        ctx.run([] { request_id.set(10); });

        asio::io_context io;
        for(int i = 0; i < 2; ++i)               // two coroutines given the same ctx ...
        {
            asio::co_spawn(io, add_one(), cv::bind_context(ctx, [&](std::exception_ptr, int r) {
                results.push_back(r);            // ... each start from a copy of it: 11, 11
            }));
        }
        io.run();
        BOOST_TEST(*ctx.get(request_id) == 10);  // and ctx itself is unchanged
        // end::coro_explicit_context_use[]
        BOOST_TEST(results == (std::vector<int>{11, 11}), boost::test_tools::per_element());
    });
}

// tag::coro_gather[]
asio::awaitable<int> work(int id)
{
    request_id.set(id);
    co_await asio::post(asio::use_awaitable);
    co_return request_id.get();
}

asio::awaitable<void> gather()
{
    using namespace asio::experimental::awaitable_operators;
    request_id.set(1);

    auto [a, b] = co_await (work(2) && work(3)); // each operand runs in its own copy
    CHECK(a == 2);
    CHECK(b == 3);

    auto ex = co_await asio::this_coro::executor;
    auto [order, e1, c, e2, d] = co_await asio::experimental::make_parallel_group(
        asio::co_spawn(ex, work(4), asio::deferred),
        asio::co_spawn(ex, work(5), asio::deferred)
    ).async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    CHECK(c == 4);
    CHECK(d == 5);

    CHECK(request_id.get() == 1);                // and none of their sets reach the parent
}
// end::coro_gather[]

BOOST_AUTO_TEST_CASE(coro_operators_and_parallel_group)
{
    isolated([] {
        int done = 0;
        // tag::coro_gather_run[]
        asio::io_context io(1);                  // Asio 1.26: one thread (or a strand) here
        asio::co_spawn(cv::context_executor(io), gather(), [&](std::exception_ptr e) {
            BOOST_TEST(!e);
            ++done;
        });
        io.run();
        // end::coro_gather_run[]
        BOOST_TEST(done == 1);
    });
}

BOOST_AUTO_TEST_CASE(coro_operators_on_strand)
{
    isolated([] {
        std::atomic<int> done{0};
        // tag::coro_gather_strand[]
        asio::io_context io;
        using strand = asio::strand<asio::io_context::executor_type>;
        for(int i = 0; i < 20; ++i)              // run by two threads: each group on a strand
        {
            cv::context_executor<strand> ex(asio::make_strand(io));
            asio::co_spawn(ex, gather(), [&](std::exception_ptr e) {
                CHECK(!e);
                ++done;
            });
        }
        run_on_two_threads(io);
        // end::coro_gather_strand[]
        BOOST_TEST(done == 20);
    });
}
