// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Row 3 of the Asio issue: co_spawn on a context_executor with ordinary
// awaitable<T> (any_io_executor) code, and co_spawn on a plain executor with
// a bind_context token; addendum points 1 (a coroutine resumes in its own
// context) and 4 (awaitable operators and parallel groups on a strand or a
// single-threaded io_context); cancellation and exceptions; the guard on the
// Asio detail co_spawn's token support depends on; and the stress test:
// 200 coroutines on 2 threads, >= 20 mixed suspensions each.

#include <boost/contextvars/asio.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#define BOOST_TEST_MODULE co_spawn
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"
#include "echo_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using boost::system::error_code;
using asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using namespace std::chrono_literals;
using test_support::io_threads;
using test_support::wait;

namespace {

using test_support::var, test_support::none, test_support::read, test_support::context_with,
    test_support::check_threads_clean, test_support::cx_io, test_support::cx_pool, test_support::cx_strand;

// ---- awaitable building blocks ---------------------------------------------

awaitable<void> sleep(std::chrono::milliseconds d)
{
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(use_awaitable);
}

awaitable<void> yield_post()
{
    co_await asio::post(co_await asio::this_coro::executor, use_awaitable);
}

// One write and read of `value` through the echo server.
awaitable<int> round_trip(tcp::socket& s, int value)
{
    std::int32_t out = value;
    std::int32_t in = 0;
    co_await asio::async_write(s, asio::buffer(&out, sizeof out), use_awaitable);
    co_await asio::async_read(s, asio::buffer(&in, sizeof in), use_awaitable);
    co_return in;
}

// Called with co_await: shares the caller's context (Python's await).
awaitable<int> helper_sets(int value)
{
    int seen = read();
    co_await sleep(1ms);
    var.set(value);
    co_await yield_post();
    co_return seen;
}

// The body used by several row 3 tests: what it saw at each step.
awaitable<std::vector<int>> body(tcp::endpoint ep)
{
    std::vector<int> r;
    r.push_back(read()); // [0] the context at co_spawn
    var.set(2);
    co_await sleep(5ms);
    r.push_back(read()); // [1] 2 after a timer
    co_await yield_post();
    r.push_back(read()); // [2] 2 after co_await post
    tcp::socket s(co_await asio::this_coro::executor);
    co_await s.async_connect(ep, use_awaitable);
    r.push_back(read()); // [3] 2 after connect
    int echoed = co_await round_trip(s, 77);
    r.push_back(echoed == 77 ? read() : -77); // [4] 2 after a socket round trip
    int helper_saw = co_await helper_sets(3);
    r.push_back(helper_saw); // [5] 2: the helper shares the context
    r.push_back(read());     // [6] 3: and its set is the caller's
    co_return r;
}

void check_body(std::vector<int> const& r, int start)
{
    std::vector<int> expected{start, 2, 2, 2, 2, 2, 3};
    BOOST_TEST(r == expected, boost::test_tools::per_element());
}

} // namespace

// ===========================================================================
// Row 3: co_spawn on a context_executor

BOOST_FIXTURE_TEST_SUITE(row3_context_executor, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(starts_with_copy_and_keeps_its_sets)
{
    test_support::echo_server echo;
    io_threads t(2);
    cv::context c = context_with(1);
    std::future<std::vector<int>> f;
    c.run([&] {
        f = asio::co_spawn(cx_io(t.io), body(echo.endpoint()), asio::use_future);
        var.set(10); // after co_spawn: not seen by the coroutine
    });
    check_body(wait(f), 1);
    BOOST_TEST(*c.get(var) == 10); // the coroutine's sets are never seen by the spawner
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(through_any_io_executor_thread_pool_and_strand)
{
    test_support::echo_server echo;
    io_threads t(2);
    asio::thread_pool pool(2);
    cv::context c = context_with(1);
    std::future<std::vector<int>> f1, f2, f3;
    c.run([&] {
        asio::any_io_executor ae{cx_io(t.io)};
        f1 = asio::co_spawn(ae, body(echo.endpoint()), asio::use_future);
        f2 = asio::co_spawn(cx_pool(pool), body(echo.endpoint()), asio::use_future);
        f3 = asio::co_spawn(cx_strand(asio::make_strand(t.io)), body(echo.endpoint()), asio::use_future);
        var.set(10);
    });
    check_body(wait(f1), 1);
    check_body(wait(f2), 1);
    check_body(wait(f3), 1);
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 2);
    pool.join();
}

// The completion handler runs in the context current at co_spawn, not in
// the coroutine's final one.
BOOST_AUTO_TEST_CASE(completion_handler_runs_in_spawn_context)
{
    test_support::echo_server echo;
    io_threads t(2);
    cv::context c = context_with(1);
    std::promise<std::pair<std::vector<int>, int>> p;
    auto f = p.get_future();
    std::promise<int> pv;
    auto fv = pv.get_future();
    c.run([&] {
        asio::co_spawn(cx_io(t.io), body(echo.endpoint()), [&](std::exception_ptr e, std::vector<int> r) {
            BG_CHECK(!e);
            p.set_value({std::move(r), read()});
            var.set(-1);
        });
        var.set(5);
        asio::co_spawn(cx_io(t.io), [&]() -> awaitable<void> {
            var.set(6);
            co_await sleep(2ms);
            co_return;
        }, [&](std::exception_ptr) { pv.set_value(read()); });
        var.set(10);
    });
    auto [r, handler_saw] = wait(f);
    check_body(r, 1);
    BOOST_TEST(handler_saw == 1);
    BOOST_TEST(wait(fv) == 5);
    check_threads_clean(t.io.get_executor(), 2);
}

// Siblings never see each other's sets; the spawner sees neither.
BOOST_AUTO_TEST_CASE(siblings_are_isolated)
{
    io_threads t(2);
    cx_io cx(t.io);
    std::atomic<int> mismatches{0};
    auto sibling = [&](int own) -> awaitable<int> {
        int start = read();
        var.set(own);
        for(int i = 0; i < 30; ++i)
        {
            // (not `co_await (c ? a() : b())`: that crashed with a double free under gcc 12)
            if(i % 2)
            {
                co_await sleep(std::chrono::milliseconds(i % 3));
            }
            else
            {
                co_await yield_post();
            }
            if(read() != own)
            {
                ++mismatches;
            }
            var.set(own);
        }
        co_return start;
    };
    cv::context c = context_with(1);
    std::future<int> fa, fb;
    c.run([&] {
        fa = asio::co_spawn(cx, sibling(10), asio::use_future);
        fb = asio::co_spawn(cx, sibling(20), asio::use_future);
        var.set(2);
    });
    BOOST_TEST(wait(fa) == 1);
    BOOST_TEST(wait(fb) == 1);
    BOOST_TEST(mismatches.load() == 0);
    BOOST_TEST(*c.get(var) == 2);
}

// A nested co_spawn(co_await this_coro::executor, ...) forks again.
BOOST_AUTO_TEST_CASE(nested_co_spawn_forks)
{
    io_threads t(2);
    // What a child saw: at its start, and after its own set and a sleep
    // during which the parent set another value.
    auto child = [](std::array<int, 2>* out) -> awaitable<int> {
        (*out)[0] = read();
        var.set(11);
        co_await sleep(10ms);
        (*out)[1] = read();
        co_return read();
    };
    auto parent = [&]() -> awaitable<std::vector<int>> {
        std::vector<int> r;
        var.set(10);
        auto ex = co_await asio::this_coro::executor;
        std::array<int, 2> c1{{-2, -2}}, c2{{-2, -2}};
        // Runs concurrently with the parent, which changes its own context.
        std::promise<int> p1;
        auto f = p1.get_future();
        asio::co_spawn(ex, child(&c1), [&p1](std::exception_ptr, int v) { p1.set_value(v); });
        var.set(12);
        int v2 = co_await asio::co_spawn(ex, child(&c2), use_awaitable);
        r.push_back(v2);     // 11
        r.push_back(c2[0]);  // 12: a copy of the parent's context at co_spawn
        r.push_back(c2[1]);  // 11
        r.push_back(read()); // 12: the child's set is not seen by the parent
        for(int i = 0; i < 2000 && f.wait_for(0s) != std::future_status::ready; ++i)
        {
            co_await sleep(5ms);
        }
        r.push_back(f.get()); // 11
        r.push_back(c1[0]); // 10
        r.push_back(c1[1]); // 11: not the parent's later 12
        r.push_back(read()); // 12
        co_return r;
    };
    auto f = asio::co_spawn(cx_io(t.io), parent(), asio::use_future);
    BOOST_TEST(wait(f) == (std::vector<int>{11, 12, 11, 12, 11, 10, 11, 12}), boost::test_tools::per_element());
}

// A scoped_set and a token made before a co_await restore/reset cleanly
// after it, also when the coroutine resumed on another thread.
BOOST_AUTO_TEST_CASE(scoped_set_and_token_across_thread_hops)
{
    io_threads t(2);
    asio::thread_pool pool(1);
    cx_pool px(pool);
    std::atomic<int> failures{0};
    std::atomic<int> hops{0};
    auto coro = [&]() -> awaitable<void> {
        int const base = read();
        for(int i = 0; i < 400; ++i)
        {
            auto before = test_support::current_thread_id();
            auto tok = var.set(i);
            {
                cv::scoped_set s(var, i + 1);
                switch(i % 4)
                {
                case 0: co_await sleep(0ms); break;
                case 1: co_await yield_post(); break;
                case 2: co_await asio::post(px, use_awaitable); break; // through the pool, back to io
                default: // resume on the pool thread itself, then come back
                    co_await asio::post(px, asio::bind_executor(px, use_awaitable));
                    if(!pool.get_executor().running_in_this_thread())
                    {
                        ++failures;
                    }
                    if(test_support::current_thread_id() != before)
                    {
                        ++hops; // deterministic: the pool's thread is not an io thread
                    }
                    if(read() != i + 1)
                    {
                        ++failures;
                    }
                    co_await asio::post(co_await asio::this_coro::executor, use_awaitable);
                    break;
                }
                if(read() != i + 1)
                {
                    ++failures;
                }
            }
            if(read() != i)
            {
                ++failures;
            }
            try
            {
                var.reset(tok);
            }
            catch(cv::token_error const&)
            {
                ++failures;
            }
            if(read() != base)
            {
                ++failures;
            }
            if(test_support::current_thread_id() != before)
            {
                ++hops;
            }
        }
    };
    cv::context c = context_with(1);
    auto f = c.run([&] { return asio::co_spawn(cx_io(t.io), coro(), asio::use_future); });
    wait(f);
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(hops.load() >= 1);
    BOOST_TEST_MESSAGE("resumed on another thread " << hops.load() << " times out of 400");
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 1);
    pool.join();
}

// A pinned (tracked) executor reaching co_spawn: the body starts in a copy of
// the pinned context (an executor that carries a context runs everything in
// it, as documented), and is not frozen there: its own sets persist.
BOOST_AUTO_TEST_CASE(pinned_executor_does_not_freeze_coroutine)
{
    io_threads t(2);
    cv::context a = context_with(1);
    auto pinned = a.run([&] { return asio::prefer(cx_io(t.io), asio::execution::outstanding_work.tracked); });
    BOOST_TEST(pinned.is_pinned());
    auto coro = []() -> awaitable<std::vector<int>> {
        std::vector<int> r;
        r.push_back(read());
        var.set(3);
        co_await sleep(1ms);
        r.push_back(read());
        co_await yield_post();
        r.push_back(read());
        co_return r;
    };
    cv::context b = context_with(2);
    auto f = b.run([&] { return asio::co_spawn(pinned, coro(), asio::use_future); });
    auto r = wait(f);
    BOOST_TEST_REQUIRE(r.size() == 3u);
    BOOST_TEST(r[0] == 1); // the pinned context, not the current one (2)
    BOOST_TEST(r[1] == 3);
    BOOST_TEST(r[2] == 3);
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// Addendum point 1: a coroutine always resumes in its own context

BOOST_FIXTURE_TEST_SUITE(addendum1_resumes_in_own_context, test_support::bg_fixture)

namespace {

// What a coroutine sees around `co_await`s whose tokens are wrapped in
// bind_context. `op(n)` is one kind of operation; the expected sequence is
// {own value after, value set after and kept, scoped_set restored, token reset}.
template<class Op>
awaitable<std::vector<int>> around(Op op)
{
    std::vector<int> r;
    var.set(10);
    auto tok = var.set(11);
    {
        cv::scoped_set s(var, 12);
        co_await op();
        r.push_back(read()); // 12
        var.set(13);
        co_await sleep(1ms);
        co_await op();
        r.push_back(read()); // 13
    }
    r.push_back(read()); // 11: the scoped_set restored
    try
    {
        var.reset(tok);
        r.push_back(read()); // 10: the token reset
    }
    catch(cv::token_error const&)
    {
        r.push_back(-100);
    }
    co_return r;
}

std::vector<int> const expected_around{12, 13, 11, 10};

// One coroutine per kind of operation: a context-aware executor (or
// bind_context on a plain one) for the coroutine, and `ctx` holding 5.
template<class Executor, class Token>
void check_all_bound_awaits(Executor ex, Token spawn_token)
{
    cv::context ctx = context_with(5);
    cv::context const* pctx = &ctx;
    std::vector<std::pair<char const*, std::function<awaitable<void>()>>> ops{
        {"timer, bind_context(use_awaitable)",
            []() -> awaitable<void> {
                asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
                co_await t.async_wait(cv::bind_context(use_awaitable));
            }},
        {"timer, bind_context(ctx, use_awaitable)",
            [pctx]() -> awaitable<void> {
                asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
                co_await t.async_wait(cv::bind_context(*pctx, use_awaitable));
            }},
        {"post, bind_context(ctx, use_awaitable)",
            [pctx]() -> awaitable<void> {
                co_await asio::post(co_await asio::this_coro::executor, cv::bind_context(*pctx, use_awaitable));
            }},
        {"timer, bind_context(as_tuple(use_awaitable))",
            [pctx]() -> awaitable<void> {
                asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
                co_await t.async_wait(cv::bind_context(*pctx, asio::as_tuple(use_awaitable)));
            }},
        {"co_spawn, bind_context(use_awaitable)",
            []() -> awaitable<void> {
                int v = co_await asio::co_spawn(co_await asio::this_coro::executor,
                    []() -> awaitable<int> {
                        var.set(99);
                        co_return read();
                    },
                    cv::bind_context(use_awaitable));
                BG_CHECK(v == 99);
            }},
        // Regression: the awaiting coroutine used to resume in a copy of ctx.
        {"co_spawn, bind_context(ctx, use_awaitable)",
            [pctx]() -> awaitable<void> {
                int v = co_await asio::co_spawn(co_await asio::this_coro::executor,
                    []() -> awaitable<int> {
                        int seen = read(); // 5: the body starts in a copy of ctx
                        var.set(98);
                        co_return seen;
                    },
                    cv::bind_context(*pctx, use_awaitable));
                BG_CHECK(v == 5);
            }},
    };
    for(auto& [name, op]: ops)
    {
        auto f = asio::co_spawn(ex, around(op), spawn_token);
        BOOST_TEST_CONTEXT(name)
        {
            BOOST_TEST(wait(f) == expected_around, boost::test_tools::per_element());
        }
    }
    BOOST_TEST(*ctx.get(var) == 5);
    BOOST_TEST(ctx.size() == 1u);
}

} // namespace

BOOST_AUTO_TEST_CASE(on_context_executor)
{
    io_threads t(2);
    check_all_bound_awaits(cx_io(t.io), asio::use_future);
}

BOOST_AUTO_TEST_CASE(spawned_with_bind_context_on_plain_executor)
{
    io_threads t(2);
    check_all_bound_awaits(t.io.get_executor(), cv::bind_context(asio::use_future));
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// Addendum point 4: awaitable operators and make_parallel_group give each
// operand its own copy (on a strand or a single-threaded io_context only).

BOOST_FIXTURE_TEST_SUITE(addendum4_operators, test_support::bg_fixture)

namespace {

awaitable<int> operand(int own, std::chrono::milliseconds d)
{
    int start = read();
    var.set(own);
    co_await sleep(d);
    co_await yield_post();
    co_return read() == own ? start : -1000 - read();
}

awaitable<std::vector<int>> operators_body()
{
    using namespace asio::experimental::awaitable_operators;
    std::vector<int> r;
    var.set(1);
    auto [a, b] = co_await (operand(10, 3ms) && operand(20, 1ms));
    r.push_back(a);      // 1: a copy of the parent's context
    r.push_back(b);      // 1
    r.push_back(read()); // 1: operands' sets not seen
    var.set(2);
    auto either = co_await (operand(30, 1ms) || operand(40, 1h));
    r.push_back(either.index() == 0 ? std::get<0>(either) : -1); // 2
    r.push_back(read());                                        // 2

    auto ex = co_await asio::this_coro::executor;
    var.set(3);
    auto [order, e1, r1, e2, r2] = co_await asio::experimental::make_parallel_group(
        asio::co_spawn(ex, operand(50, 2ms), asio::deferred),
        asio::co_spawn(ex, operand(60, 1ms), asio::deferred))
        .async_wait(asio::experimental::wait_for_all(), use_awaitable);
    (void)order;
    r.push_back(e1 ? -1 : r1); // 3
    r.push_back(e2 ? -1 : r2); // 3
    r.push_back(read());       // 3
    co_return r;
}

std::vector<int> const expected_operators{1, 1, 1, 2, 2, 3, 3, 3};

} // namespace

BOOST_AUTO_TEST_CASE(single_threaded_io_context)
{
    io_threads t(1);
    auto f = asio::co_spawn(cx_io(t.io), operators_body(), asio::use_future);
    BOOST_TEST(wait(f) == expected_operators, boost::test_tools::per_element());
    check_threads_clean(t.io.get_executor(), 1);
}

BOOST_AUTO_TEST_CASE(strand_on_two_threads)
{
    io_threads t(2);
    auto f = asio::co_spawn(cx_strand(asio::make_strand(t.io)), operators_body(), asio::use_future);
    BOOST_TEST(wait(f) == expected_operators, boost::test_tools::per_element());
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// Row 4 for co_spawn: a plain executor with bind_context tokens

BOOST_FIXTURE_TEST_SUITE(bind_context_token_on_plain_executor, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(plain_callback)
{
    test_support::echo_server echo;
    io_threads t(2);
    cv::context c = context_with(1);
    std::promise<std::pair<std::vector<int>, int>> p;
    auto f = p.get_future();
    c.run([&] {
        asio::co_spawn(t.io.get_executor(), body(echo.endpoint()),
            cv::bind_context([&](std::exception_ptr e, std::vector<int> r) {
                BG_CHECK(!e);
                p.set_value({std::move(r), read()});
                var.set(-1);
            }));
        var.set(10);
    });
    auto [r, handler_saw] = wait(f);
    check_body(r, 1);         // the body runs in its own context
    BOOST_TEST(handler_saw == 1); // the handler in the co_spawn-time context
    BOOST_TEST(*c.get(var) == 10);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(explicit_context)
{
    test_support::echo_server echo;
    io_threads t(2);
    cv::context ctx = context_with(5);
    cv::context c = context_with(1);
    std::promise<std::pair<std::vector<int>, int>> p;
    auto f = p.get_future();
    c.run([&] {
        asio::co_spawn(t.io.get_executor(), body(echo.endpoint()),
            cv::bind_context(ctx, [&](std::exception_ptr e, std::vector<int> r) {
                BG_CHECK(!e);
                p.set_value({std::move(r), read()});
                var.set(-1);
            }));
        var.set(10);
    });
    auto [r, handler_saw] = wait(f);
    check_body(r, 5);
    BOOST_TEST(handler_saw == 5);
    BOOST_TEST(*ctx.get(var) == 5);
    BOOST_TEST(ctx.size() == 1u);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(other_tokens)
{
    test_support::echo_server echo;
    io_threads t(2);
    asio::thread_pool pool(2);
    cv::context c = context_with(1);
    std::future<std::vector<int>> fut, fut_pool;
    std::promise<std::vector<int>> detached_result, deferred_result, tuple_result;
    auto fd = detached_result.get_future();
    auto fdef = deferred_result.get_future();
    auto ft = tuple_result.get_future();
    c.run([&] {
        fut = asio::co_spawn(t.io.get_executor(), body(echo.endpoint()), cv::bind_context(asio::use_future));
        fut_pool = asio::co_spawn(pool, body(echo.endpoint()), cv::bind_context(asio::use_future));
        asio::co_spawn(t.io.get_executor(),
            [&, ep = echo.endpoint()]() -> awaitable<void> { detached_result.set_value(co_await body(ep)); },
            cv::bind_context(asio::detached));
        asio::co_spawn(t.io.get_executor(), body(echo.endpoint()),
            cv::bind_context(asio::as_tuple([&](std::tuple<std::exception_ptr, std::vector<int>> r) {
                tuple_result.set_value(std::get<1>(std::move(r)));
            })));
        auto op = asio::co_spawn(t.io.get_executor(), body(echo.endpoint()), cv::bind_context(asio::deferred));
        var.set(7); // a deferred co_spawn captures when launched
        std::move(op)([&](std::exception_ptr, std::vector<int> r) { deferred_result.set_value(std::move(r)); });
        var.set(10);
    });
    check_body(wait(fut), 1);
    check_body(wait(fut_pool), 1);
    check_body(wait(fd), 1);
    check_body(wait(ft), 1);
    check_body(wait(fdef), 7);
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 2);
    pool.join();
}

BOOST_AUTO_TEST_CASE(executor_seen_by_the_body_is_context_aware)
{
    io_threads t(1);
    std::promise<bool> p;
    auto f = p.get_future();
    asio::co_spawn(t.io.get_executor(),
        [&]() -> awaitable<void> {
            auto ex = co_await asio::this_coro::executor;
            p.set_value(ex.target<cx_io>() != nullptr);
            co_return;
        },
        cv::bind_context(asio::detached));
    BOOST_TEST(wait(f)); // kept in any_io_executor's small buffer
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// Rows 7 and 8 for coroutines

BOOST_FIXTURE_TEST_SUITE(rows7_8, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(cancellation)
{
    io_threads t(1);
    asio::cancellation_signal sig;
    std::promise<std::array<int, 3>> p;
    auto f = p.get_future();
    std::atomic<bool> waiting{false};
    auto coro = [&waiting]() -> awaitable<int> {
        var.set(3);
        asio::steady_timer timer(co_await asio::this_coro::executor, 1h);
        waiting = true; // the wait below is started before this step ends
        auto [ec] = co_await timer.async_wait(asio::as_tuple(use_awaitable));
        co_return ec == asio::error::operation_aborted ? read() : -3;
    };
    cv::context c = context_with(1);
    c.run([&] {
        asio::co_spawn(cx_io(t.io), coro(),
            asio::bind_cancellation_slot(sig.slot(), [&](std::exception_ptr e, int v) {
                p.set_value({e ? 1 : 0, v, read()});
            }));
        var.set(2);
    });
    // One io thread: a handler posted once `waiting` is set runs after the
    // coroutine suspended in async_wait.
    for(int i = 0; i < 20000 && !waiting; ++i)
    {
        std::this_thread::sleep_for(1ms);
    }
    BOOST_TEST_REQUIRE(waiting.load());
    cv::context e = context_with(9);
    asio::post(cx_io(t.io), cv::bind_context(e, [&] { sig.emit(asio::cancellation_type::all); }));
    auto r = wait(f);
    BOOST_TEST(r[0] == 0);
    BOOST_TEST(r[1] == 3); // the coroutine resumed in its own context
    BOOST_TEST(r[2] == 1); // the completion handler in the co_spawn-time context
}

BOOST_AUTO_TEST_CASE(throwing_coroutine_leaves_thread_context_as_before)
{
    asio::io_context io(1);
    auto before = var.set(5);
    std::vector<int> handler_saw;
    auto thrower = []() -> awaitable<void> {
        var.set(6);
        co_await sleep(1ms);
        var.set(7);
        throw std::runtime_error("coroutine");
    };
    auto rethrow = [&](std::exception_ptr e) {
        handler_saw.push_back(read());
        var.set(8);
        if(e)
        {
            std::rethrow_exception(e);
        }
    };
    cv::context c = context_with(9);
    c.run([&] {
        asio::co_spawn(cx_io(io), thrower(), rethrow);
        asio::co_spawn(io.get_executor(), thrower(), cv::bind_context(rethrow));
    });
    cv::context ctx = context_with(11);
    asio::co_spawn(io.get_executor(), thrower(), cv::bind_context(ctx, rethrow));
    int caught = test_support::run_through_exceptions<std::runtime_error>(io, [] { BOOST_TEST(read() == 5); });
    BOOST_TEST(caught == 3);
    std::sort(handler_saw.begin(), handler_saw.end());
    BOOST_TEST(handler_saw == (std::vector<int>{9, 9, 11}), boost::test_tools::per_element());
    BOOST_CHECK_NO_THROW(var.reset(before));
    BOOST_TEST(read() == none);
}

BOOST_AUTO_TEST_SUITE_END()


// ===========================================================================
// Stress: 200 coroutines on io_context run by 2 threads, each with its own
// id, verified after >= 20 mixed suspensions.

BOOST_FIXTURE_TEST_SUITE(stress, test_support::bg_fixture)

namespace {

struct stress_stats
{
    std::atomic<long> reads{0};
    std::atomic<long> mismatches{0};
    std::atomic<long> suspensions{0};
    std::atomic<long> hops{0};
    std::atomic<long> errors{0};

    void check(int expected)
    {
        ++reads;
        if(read() != expected)
        {
            ++mismatches;
        }
    }
};

awaitable<int> nested_awaitable(int id, stress_stats& st)
{
    st.check(id); // shares the caller's context
    {
        cv::scoped_set s(var, -id);
        co_await yield_post();
        ++st.suspensions;
        st.check(-id);
    }
    st.check(id);
    co_return read();
}

awaitable<int> nested_child(int id, stress_stats& st)
{
    st.check(id); // a copy of the parent's context
    var.set(-id - 1000);
    co_await sleep(1ms);
    ++st.suspensions;
    st.check(-id - 1000);
    co_return read();
}

awaitable<void> stress_worker(int id, int spawner_value, tcp::endpoint ep, stress_stats& st)
{
    st.check(spawner_value);
    auto tok = var.set(id);
    tcp::socket sock(co_await asio::this_coro::executor);
    co_await sock.async_connect(ep, use_awaitable);
    ++st.suspensions;
    st.check(id);
    for(int k = 0; k < 30; ++k)
    {
        auto before = test_support::current_thread_id();
        switch(k % 6)
        {
        case 0:
            co_await sleep(std::chrono::milliseconds(k % 3));
            ++st.suspensions;
            break;
        case 1:
            co_await yield_post();
            ++st.suspensions;
            break;
        case 2: {
            int echoed = co_await round_trip(sock, id * 100 + k);
            st.suspensions += 2;
            if(echoed != id * 100 + k)
            {
                ++st.errors;
            }
            break;
        }
        case 3: {
            int v = co_await nested_awaitable(id, st);
            ++st.suspensions;
            if(v != id)
            {
                ++st.mismatches;
            }
            break;
        }
        case 4: {
            int v = co_await asio::co_spawn(co_await asio::this_coro::executor, nested_child(id, st), use_awaitable);
            st.suspensions += 2;
            if(v != -id - 1000)
            {
                ++st.mismatches;
            }
            break;
        }
        default: {
            cv::scoped_set s(var, id + 500000);
            co_await sleep(0ms);
            ++st.suspensions;
            st.check(id + 500000);
            break;
        }
        }
        st.check(id);
        if(test_support::current_thread_id() != before)
        {
            ++st.hops;
        }
    }
    var.reset(tok);
    st.check(spawner_value);
}

} // namespace

BOOST_AUTO_TEST_CASE(two_hundred_coroutines_two_threads)
{
    test_support::echo_server echo;
    io_threads t(2);
    constexpr int n = 200;
    stress_stats st;
    std::atomic<int> done{0};
    std::atomic<int> handler_mismatches{0};
    std::promise<void> all;
    auto fut = all.get_future();
    cv::context c = context_with(100000);
    c.run([&] {
        for(int i = 1; i <= n; ++i)
        {
            asio::co_spawn(cx_io(t.io), stress_worker(i, 100000, echo.endpoint(), st), [&](std::exception_ptr e) {
                if(e)
                {
                    ++st.errors;
                }
                if(read() != 100000)
                {
                    ++handler_mismatches;
                }
                if(++done == n)
                {
                    all.set_value();
                }
            });
        }
    });
    wait(fut);
    BOOST_TEST(st.errors.load() == 0);
    BOOST_TEST(st.mismatches.load() == 0);
    BOOST_TEST(handler_mismatches.load() == 0);
    BOOST_TEST(st.suspensions.load() >= long(n) * 20);
    BOOST_TEST(st.reads.load() >= long(n) * 40);
    // (Thread changes are likely but not guaranteed here: a loaded machine may
    // run everything on one of the two threads. scoped_set_and_token_across_
    // thread_hops forces them.)
    BOOST_TEST_MESSAGE("stress: " << st.reads.load() << " reads, " << st.suspensions.load() << " suspensions, "
                                  << st.hops.load() << " thread changes, " << st.mismatches.load() << " mismatches");
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 11: each coroutine co_spawned on a context_executor runs in a new
// context, as asyncio's create_task: siblings cannot reset each other's
// tokens, nor their parent's; each still resets its own across co_await.
BOOST_AUTO_TEST_CASE(issue11_siblings_and_parent_tokens_are_foreign)
{
    asio::io_context io;
    cx_io cx(io);
    struct shared
    {
        std::shared_ptr<cv::token<int>> parent, a;
        std::vector<std::string> errors;
        int own_resets = 0;
    } s;
    auto try_reset = [&s](cv::token<int>& t) {
        try
        {
            var.reset(t);
            s.errors.push_back("");
        }
        catch(cv::token_error const& e)
        {
            s.errors.push_back(e.what());
        }
    };
    auto a = [&]() -> awaitable<void> {
        s.a = std::make_shared<cv::token<int>>(var.set(10));
        try_reset(*s.parent);
        co_await yield_post();
        try_reset(*s.parent);
        co_await sleep(1ms);
        var.reset(*s.a); // its own token, across two suspensions
        ++s.own_resets;
    };
    auto b = [&]() -> awaitable<void> {
        auto own = var.set(20);
        while(!s.a)
        {
            co_await yield_post();
        }
        try_reset(*s.a);
        try_reset(*s.parent);
        co_await yield_post();
        var.reset(own);
        ++s.own_resets;
    };
    cv::context c;
    c.run([&] {
        s.parent = std::make_shared<cv::token<int>>(var.set(1));
        asio::co_spawn(cx, a(), asio::detached);
        asio::co_spawn(cx, b(), asio::detached);
    });
    io.run();
    BOOST_TEST(s.own_resets == 2);
    BOOST_TEST_REQUIRE(s.errors.size() == 4u);
    for(std::string const& e: s.errors)
    {
        BOOST_TEST(e.find("different context") != std::string::npos, e);
    }
    BOOST_TEST(!s.parent->used());
    c.run([&] { var.reset(*s.parent); });
    BOOST_TEST(!c.contains(var));
}
