// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The thread-local hazard: a coroutine that reads a context variable,
// suspends, and resumes on another thread must read the new thread's state.
// gcc and clang have been seen to keep a thread-local address across a
// co_await at -O2. Each iteration hops io thread -> pool thread -> io thread
// (deterministically different threads) and reads the variable on each, and
// a token and a scoped_set span the hops. Built with optimisation (the
// default builds use -O2).

#include <boost/contextvars/asio.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#define BOOST_TEST_MODULE thread_local_hazard
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <thread>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;

namespace {

using test_support::var, test_support::none, test_support::read, test_support::cx_io, test_support::cx_pool;

struct hazard_stats
{
    long reads = 0;
    long mismatches = 0;
    long wrong_thread = 0;
    long token_errors = 0;
};

awaitable<hazard_stats> hop(int own, int iterations, cx_pool px, std::thread::id io_thread, std::thread::id pool_thread)
{
    hazard_stats st;
    auto check = [&](int expected) {
        ++st.reads;
        if(read() != expected)
        {
            ++st.mismatches;
        }
    };
    var.set(own);
    for(int i = 0; i < iterations; ++i)
    {
        check(own);
        auto tok = var.set(own + 1);
        {
            cv::scoped_set s(var, own + 2);
            // Resume on the pool's thread...
            co_await asio::post(px, asio::bind_executor(px, use_awaitable));
            if(test_support::current_thread_id() != pool_thread)
            {
                ++st.wrong_thread;
            }
            check(own + 2);
            // ... and back on the io_context's.
            co_await asio::post(co_await asio::this_coro::executor, use_awaitable);
            if(test_support::current_thread_id() != io_thread)
            {
                ++st.wrong_thread;
            }
            check(own + 2);
        }
        check(own + 1);
        try
        {
            var.reset(tok);
        }
        catch(cv::token_error const&)
        {
            ++st.token_errors;
        }
        check(own);
    }
    co_return st;
}

} // namespace

BOOST_AUTO_TEST_CASE(ten_thousand_cross_thread_resumptions)
{
    asio::thread_pool pool(1); // outlives the io thread, which posts to it
    test_support::io_threads t(1);
    auto io_thread = test_support::thread_of(t.io.get_executor());
    auto pool_thread = test_support::thread_of(pool.get_executor());
    BOOST_TEST_REQUIRE((io_thread != pool_thread));

    // Two coroutines with different values interleave on the same threads.
    auto f1 = asio::co_spawn(cx_io(t.io), hop(1000, 10000, cx_pool(pool), io_thread, pool_thread), asio::use_future);
    auto f2 = asio::co_spawn(cx_io(t.io), hop(2000, 10000, cx_pool(pool), io_thread, pool_thread), asio::use_future);
    for(auto* f: {&f1, &f2})
    {
        hazard_stats st = test_support::wait(*f);
        BOOST_TEST(st.reads == 10000 * 5);
        BOOST_TEST(st.mismatches == 0);
        BOOST_TEST(st.wrong_thread == 0);
        BOOST_TEST(st.token_errors == 0);
    }
    // Neither thread keeps anything.
    std::promise<int> a, b;
    auto fa = a.get_future();
    auto fb = b.get_future();
    asio::post(t.io, [&] { a.set_value(read()); });
    asio::post(pool, [&] { b.set_value(read()); });
    BOOST_TEST(test_support::wait(fa) == none);
    BOOST_TEST(test_support::wait(fb) == none);
    pool.join();
}
