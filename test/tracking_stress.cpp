// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking under load: 200 coroutines co_spawned on a plain
// io_context run by two threads, with no wrapper anywhere. Each sets its own
// id, then goes through 30 mixed suspensions (timers, posts, offloads to a
// thread pool through bind_executor and back, loopback TCP round trips, a
// detached child that sets its own value, a scoped_set across a hop) and
// checks its value after each. Tokens made before the hops reset after them.

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/scoped_set.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#define BOOST_TEST_MODULE tracking_stress
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"
#include "echo_server.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <thread>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using test_support::none;
using test_support::read;
using test_support::var;

namespace {

struct stats
{
    std::atomic<long> reads{0};
    std::atomic<long> wrong{0};
    std::atomic<long> suspensions{0};
    std::atomic<long> pool_hops{0};
    std::atomic<long> thread_changes{0};
    std::atomic<long> errors{0};
    std::atomic<long> children{0};

    void check(int expected)
    {
        ++reads;
        if(read() != expected)
        {
            ++wrong;
        }
    }
};

awaitable<void> child(int id, stats& st)
{
    st.check(id); // a copy of the parent's context
    var.set(-id);
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
    co_await t.async_wait(use_awaitable);
    st.check(-id);
    ++st.children;
}

awaitable<void> worker(int id, tcp::endpoint ep, asio::thread_pool& pool, stats& st)
{
    st.check(none);
    auto tok = var.set(id);
    auto home = co_await asio::this_coro::executor;
    tcp::socket sock(home);
    co_await sock.async_connect(ep, use_awaitable);
    ++st.suspensions;
    st.check(id);
    for(int k = 0; k < 30; ++k)
    {
        auto before = test_support::current_thread_id();
        switch(k % 5)
        {
        case 0: {
            asio::steady_timer t(home, std::chrono::milliseconds(k % 3));
            co_await t.async_wait(use_awaitable);
            break;
        }
        case 1:
            co_await asio::post(home, use_awaitable);
            break;
        case 2: {
            cv::scoped_set guard(var, id + 100000);
            co_await asio::post(asio::bind_executor(pool, use_awaitable));
            ++st.pool_hops;
            st.check(id + 100000);
            co_await asio::post(home, use_awaitable);
            st.check(id + 100000);
            break; // the guard restores id, on whichever thread this is
        }
        case 3: {
            std::int32_t out = id * 100 + k;
            std::int32_t in = 0;
            co_await asio::async_write(sock, asio::buffer(&out, sizeof out), use_awaitable);
            co_await asio::async_read(sock, asio::buffer(&in, sizeof in), use_awaitable);
            if(in != out)
            {
                ++st.errors;
            }
            break;
        }
        default:
            asio::co_spawn(home, child(id, st), asio::detached);
            co_await asio::post(home, use_awaitable);
            break;
        }
        ++st.suspensions;
        st.check(id);
        if(test_support::current_thread_id() != before)
        {
            ++st.thread_changes;
        }
    }
    var.reset(tok); // made before every hop
    st.check(none);
}

} // namespace

BOOST_AUTO_TEST_CASE(two_hundred_coroutines_plain_executors)
{
    test_support::echo_server echo;
    asio::thread_pool pool(2); // outlives the threads that post to it
    test_support::io_threads t(2);
    constexpr int n = 200;
    stats st;
    std::atomic<int> done{0};
    std::promise<void> all;
    auto fut = all.get_future();
    for(int i = 1; i <= n; ++i)
    {
        asio::co_spawn(t.io, worker(i, echo.endpoint(), pool, st), [&](std::exception_ptr e) {
            if(e)
            {
                ++st.errors;
            }
            if(++done == n)
            {
                all.set_value();
            }
        });
    }
    test_support::wait(fut);
    for(int ms = 0; st.children.load() < n * 6 && ms < 20000; ++ms)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    BOOST_TEST(st.children.load() == n * 6);
    pool.join();
    BOOST_TEST(st.errors.load() == 0);
    BOOST_TEST(st.wrong.load() == 0);
    BOOST_TEST(st.suspensions.load() == long(n) * 31);
    BOOST_TEST(st.pool_hops.load() == long(n) * 6);
    BOOST_TEST(st.reads.load() == long(n) * (2 + 31 + 6 * 2) + long(n) * 6 * 2);
    BOOST_TEST_MESSAGE("tracking stress: " << st.reads.load() << " reads, " << st.suspensions.load()
                                           << " suspensions, " << st.pool_hops.load() << " pool hops, "
                                           << st.thread_changes.load() << " thread changes, " << st.wrong.load()
                                           << " wrong");
    test_support::check_threads_clean(t.io.get_executor(), 2);
}
