// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Row 6 of the Asio issue: asio::spawn with yield_context (Boost.Context) on
// a context_executor gets the guarantees of row 3, and (addendum point 5)
// the completion handler of asio::spawn runs in the context current at
// spawn. Also bind_context as spawn's token, cancellation and exceptions.

#include <boost/contextvars/asio.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>

#define BOOST_TEST_MODULE spawn
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"
#include "echo_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using boost::system::error_code;
using asio::ip::tcp;
using asio::yield_context;
using namespace std::chrono_literals;
using test_support::io_threads;
using test_support::wait;

namespace {

using test_support::var, test_support::none, test_support::read, test_support::context_with,
    test_support::check_threads_clean, test_support::cx_io, test_support::cx_pool, test_support::cx_strand;

void sleep(yield_context y, std::chrono::milliseconds d)
{
    asio::steady_timer t(y.get_executor(), d);
    t.async_wait(y);
}

int round_trip(tcp::socket& s, int value, yield_context y)
{
    std::int32_t out = value;
    std::int32_t in = 0;
    asio::async_write(s, asio::buffer(&out, sizeof out), y);
    asio::async_read(s, asio::buffer(&in, sizeof in), y);
    return in;
}

// Called directly: shares the caller's context.
int helper_sets(int value, yield_context y)
{
    int seen = read();
    sleep(y, 1ms);
    var.set(value);
    asio::post(y);
    return seen;
}

// What the body saw at each step; the same sequence as co_spawn.cpp's.
std::vector<int> body(tcp::endpoint ep, yield_context y)
{
    std::vector<int> r;
    r.push_back(read()); // [0] the context at spawn
    var.set(2);
    sleep(y, 5ms);
    r.push_back(read()); // [1] 2 after a timer
    asio::post(y);
    r.push_back(read()); // [2] 2 after post
    tcp::socket s(y.get_executor());
    s.async_connect(ep, y);
    r.push_back(read()); // [3] 2 after connect
    int echoed = round_trip(s, 77, y);
    r.push_back(echoed == 77 ? read() : -77); // [4] 2 after a socket round trip
    int helper_saw = helper_sets(3, y);
    r.push_back(helper_saw); // [5] 2
    r.push_back(read());     // [6] 3
    // A nested spawn forks: the child starts with a copy, its set stays its
    // own. (The parent polls for the child's result: in Asio 1.81 a nested
    // spawn(ex, f, yield) crashes even on a plain io_context, and one whose
    // f returns a value does not compile.)
    auto child = std::make_shared<std::atomic<int>>(-2);
    asio::spawn(
        y.get_executor(),
        [child](yield_context cy) {
            int start = read();
            var.set(4);
            sleep(cy, 1ms);
            child->store(read() == 4 ? start : -4);
        },
        asio::detached);
    for(int i = 0; i < 5000 && child->load() == -2; ++i)
    {
        sleep(y, 1ms);
    }
    r.push_back(child->load()); // [7] 3
    r.push_back(read()); // [8] 3
    return r;
}

std::vector<int> expected_body(int start)
{
    return {start, 2, 2, 2, 2, 2, 3, 3, 3};
}

template<class Executor>
std::vector<int> spawn_body(Executor ex, tcp::endpoint ep, cv::context& c)
{
    std::promise<std::vector<int>> p;
    auto f = p.get_future();
    c.run([&] {
        asio::spawn(
            ex, [ep](yield_context y) { return body(ep, y); },
            [&](std::exception_ptr e, std::vector<int> r) {
                BG_CHECK(!e);
                p.set_value(std::move(r));
            });
    });
    return wait(f);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(row6_spawn, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(starts_with_copy_and_keeps_its_sets)
{
    test_support::echo_server echo;
    io_threads t(2);
    asio::thread_pool pool(2);
    cv::context c = context_with(1);
    BOOST_TEST(spawn_body(cx_io(t.io), echo.endpoint(), c) == expected_body(1), boost::test_tools::per_element());
    BOOST_TEST(spawn_body(asio::any_io_executor(cx_io(t.io)), echo.endpoint(), c) == expected_body(1),
        boost::test_tools::per_element());
    BOOST_TEST(spawn_body(cx_pool(pool), echo.endpoint(), c) == expected_body(1), boost::test_tools::per_element());
    BOOST_TEST(spawn_body(cx_strand(asio::make_strand(t.io)), echo.endpoint(), c) == expected_body(1),
        boost::test_tools::per_element());
    BOOST_TEST(*c.get(var) == 1); // never seen by the spawner
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 2);
    pool.join();
}

// Addendum point 5: the completion handler runs in the context current at
// spawn, not in the coroutine's final one.
BOOST_AUTO_TEST_CASE(completion_handler_runs_in_spawn_context)
{
    io_threads t(2);
    std::promise<std::array<int, 2>> p;
    std::promise<int> pv;
    auto f = p.get_future();
    auto fv = pv.get_future();
    cv::context c = context_with(1);
    c.run([&] {
        asio::spawn(
            cx_io(t.io),
            [](yield_context y) {
                var.set(7);
                sleep(y, 2ms);
                return read();
            },
            [&](std::exception_ptr, int v) { p.set_value({v, read()}); });
        var.set(5);
        asio::spawn(
            cx_io(t.io),
            [](yield_context y) {
                var.set(8);
                asio::post(y);
            },
            [&](std::exception_ptr) { pv.set_value(read()); });
        var.set(10);
    });
    auto r = wait(f);
    BOOST_TEST(r[0] == 7);
    BOOST_TEST(r[1] == 1);
    BOOST_TEST(wait(fv) == 5);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(siblings_are_isolated)
{
    io_threads t(2);
    std::atomic<int> mismatches{0};
    std::promise<int> pa, pb;
    auto fa = pa.get_future();
    auto fb = pb.get_future();
    auto sibling = [&](int own) {
        return [&mismatches, own](yield_context y) {
            int start = read();
            var.set(own);
            for(int i = 0; i < 30; ++i)
            {
                if(i % 2)
                {
                    sleep(y, std::chrono::milliseconds(i % 3));
                }
                else
                {
                    asio::post(y);
                }
                if(read() != own)
                {
                    ++mismatches;
                }
            }
            return start;
        };
    };
    cv::context c = context_with(1);
    c.run([&] {
        asio::spawn(cx_io(t.io), sibling(10), [&](std::exception_ptr, int v) { pa.set_value(v); });
        asio::spawn(cx_io(t.io), sibling(20), [&](std::exception_ptr, int v) { pb.set_value(v); });
        var.set(2);
    });
    BOOST_TEST(wait(fa) == 1);
    BOOST_TEST(wait(fb) == 1);
    BOOST_TEST(mismatches.load() == 0);
    BOOST_TEST(*c.get(var) == 2);
}

BOOST_AUTO_TEST_CASE(scoped_set_and_token_across_thread_hops)
{
    io_threads t(2);
    asio::thread_pool pool(1);
    cx_pool px(pool);
    std::atomic<int> failures{0};
    std::atomic<int> hops{0};
    std::promise<void> p;
    auto f = p.get_future();
    cv::context c = context_with(1);
    c.run([&] {
        asio::spawn(
            cx_io(t.io),
            [&](yield_context y) {
                int const base = read();
                for(int i = 0; i < 400; ++i)
                {
                    auto before = test_support::current_thread_id();
                    auto tok = var.set(i);
                    {
                        cv::scoped_set s(var, i + 1);
                        switch(i % 3)
                        {
                        case 0: sleep(y, 0ms); break;
                        // With the executor named: through any_io_executor, a
                        // no-executor post(y) would start a new identity (see
                        // no_executor_post_through_any_io_executor below).
                        case 1: asio::post(y.get_executor(), y); break;
                        default: // resume on the pool's thread, then come back
                            asio::post(px, asio::bind_executor(px, y));
                            if(!pool.get_executor().running_in_this_thread() || read() != i + 1)
                            {
                                ++failures;
                            }
                            if(test_support::current_thread_id() != before)
                            {
                                ++hops;
                            }
                            asio::post(y.get_executor(), y);
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
            },
            [&](std::exception_ptr e) {
                BG_CHECK(!e);
                p.set_value();
            });
    });
    wait(f);
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(hops.load() >= 1);
    BOOST_TEST_MESSAGE("resumed on another thread " << hops.load() << " times out of 400");
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 1);
    pool.join();
}

// bind_context as spawn's token on a plain executor: the completion handler
// runs in the spawn-time context, or in a copy of ctx.
BOOST_AUTO_TEST_CASE(bind_context_token_on_plain_executor)
{
    io_threads t(2);
    std::promise<int> p1, p2;
    auto f1 = p1.get_future();
    auto f2 = p2.get_future();
    cv::context ctx = context_with(5);
    cv::context c = context_with(1);
    c.run([&] {
        asio::spawn(
            t.io.get_executor(), [](yield_context y) { asio::post(y); },
            cv::bind_context([&](std::exception_ptr) { p1.set_value(read()); }));
        asio::spawn(
            t.io.get_executor(), [](yield_context y) { asio::post(y); },
            cv::bind_context(ctx, [&](std::exception_ptr) { p2.set_value(read()); }));
        var.set(2);
    });
    BOOST_TEST(wait(f1) == 1);
    BOOST_TEST(wait(f2) == 5);
    BOOST_TEST(*ctx.get(var) == 5);
    check_threads_clean(t.io.get_executor(), 2);
}

// The body of asio::spawn on a plain executor with a bind_context token runs
// in the thread's own context (empty here): unlike co_spawn's, spawn's
// initiation cannot be re-issued on a context_executor, because the body's
// yield_context is typed on the plain executor. Documented in asio.adoc; spawn
// on a context_executor to give the body its own context.
BOOST_AUTO_TEST_CASE(bind_context_token_body_on_plain_executor)
{
    io_threads t(1);
    std::promise<int> p;
    auto f = p.get_future();
    cv::context c = context_with(1);
    c.run([&] {
        asio::spawn(
            t.io.get_executor(), [&](yield_context y) {
                asio::post(y);
                p.set_value(read());
            },
            cv::bind_context(asio::detached));
    });
    BOOST_TEST(wait(f) == none);
    check_threads_clean(t.io.get_executor(), 1);
}

BOOST_AUTO_TEST_CASE(cancellation)
{
    io_threads t(1);
    asio::cancellation_signal sig;
    std::atomic<bool> waiting{false};
    std::promise<std::array<int, 2>> p;
    auto f = p.get_future();
    cv::context c = context_with(1);
    c.run([&] {
        asio::spawn(
            cx_io(t.io),
            [&waiting](yield_context y) {
                var.set(3);
                asio::steady_timer timer(y.get_executor(), 1h);
                error_code ec;
                waiting = true; // the wait below is started before this step ends
                timer.async_wait(y[ec]);
                return ec == asio::error::operation_aborted ? read() : -3;
            },
            asio::bind_cancellation_slot(sig.slot(), [&](std::exception_ptr, int v) { p.set_value({v, read()}); }));
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
    BOOST_TEST(r[0] == 3); // resumed in its own context
    BOOST_TEST(r[1] == 1); // the completion handler in the spawn-time context
}

BOOST_AUTO_TEST_CASE(throwing_coroutine_leaves_thread_context_as_before)
{
    asio::io_context io(1);
    auto before = var.set(5);
    std::vector<int> handler_saw;
    auto thrower = [](yield_context y) {
        var.set(6);
        sleep(y, 1ms);
        var.set(7);
        throw std::runtime_error("stackful");
    };
    auto rethrow = [&](std::exception_ptr e) {
        handler_saw.push_back(read());
        var.set(8);
        if(e)
        {
            std::rethrow_exception(e);
        }
    };
    // On a plain executor the body runs in the thread's own context (only
    // co_spawn re-issues the spawn on a context-aware executor), so this one
    // must not set anything.
    auto plain_thrower = [](yield_context y) {
        sleep(y, 1ms);
        throw std::runtime_error("stackful, plain executor");
    };
    cv::context c = context_with(9);
    c.run([&] {
        asio::spawn(cx_io(io), thrower, rethrow);
        asio::spawn(io.get_executor(), plain_thrower, cv::bind_context(rethrow));
    });
    int caught = test_support::run_through_exceptions<std::runtime_error>(io, [] { BOOST_TEST(read() == 5); });
    BOOST_TEST(caught == 2);
    std::sort(handler_saw.begin(), handler_saw.end());
    BOOST_TEST(handler_saw == (std::vector<int>{9, 9}), boost::test_tools::per_element());
    BOOST_CHECK_NO_THROW(var.reset(before));
    BOOST_TEST(read() == none);
}

// The documented limit of context_executor: behind any_io_executor (the
// executor of yield_context), Asio hands the executor an erased function, so
// a no-executor post(y) cannot be told from a newly posted function and the
// coroutine continues in a new context: its values, not its identity. A
// concrete basic_yield_context<context_executor<E>> keeps its identity (the
// function is seen), and so does post(y.get_executor(), y). Tracking mode has
// no such limit (test/tracking.cpp).
BOOST_AUTO_TEST_CASE(no_executor_post_through_any_io_executor)
{
    io_threads t(1);
    std::promise<std::vector<int>> p;
    auto f = p.get_future();
    asio::spawn(cx_io(t.io), [&](yield_context y) {
        std::vector<int> r;
        auto tok = var.set(1);
        asio::post(y);
        r.push_back(read()); // the values are kept
        try
        {
            var.reset(tok);
            r.push_back(0);
        }
        catch(cv::token_error const&)
        {
            r.push_back(1); // the identity is not
        }
        auto tok2 = var.set(2);
        asio::post(y.get_executor(), y);
        var.reset(tok2); // named executor: the completion is pinned, identity kept
        r.push_back(read());
        p.set_value(r);
    }, asio::detached);
    std::vector<int> expected{1, 1, 1};
    BOOST_TEST(wait(f) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(concrete_yield_context_keeps_identity)
{
    io_threads t(1);
    std::promise<int> p;
    auto f = p.get_future();
    asio::spawn(cx_io(t.io), [&](asio::basic_yield_context<cx_io> y) {
        auto tok = var.set(1);
        asio::post(y); // the executor sees spawn's handler and continues the context
        var.reset(tok);
        p.set_value(read());
    }, asio::detached);
    BOOST_TEST(wait(f) == none);
}

BOOST_AUTO_TEST_SUITE_END()
