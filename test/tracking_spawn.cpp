// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking with asio::spawn (stackful coroutines, Boost.Context):
// the body starts in a copy of the spawner's context, as a new context that
// its resumptions continue, so its values and its tokens follow it across
// every yield, including a hop to a thread pool; siblings are isolated; the
// completion runs in the spawner's context, so a stackful coroutine that
// waits for a child resumes in its own (asio/detail/tracking_spawn.hpp).

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/asio.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE tracking_spawn
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <algorithm>
#include <exception>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using test_support::none;
using test_support::read;
using test_support::var;

BOOST_AUTO_TEST_CASE(values_follow_a_stackful_coroutine)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    std::vector<int> first;
    std::vector<int> second;
    bool token_kept = false;
    test_support::context_with(1).run([&] {
        asio::spawn(io, [&](asio::yield_context y) {
            first.push_back(read()); // 1: a copy of the spawner's
            auto t = var.set(2);
            asio::post(y);
            first.push_back(read()); // 2
            asio::post(asio::bind_executor(pool, y));
            first.push_back(read()); // 2, on the pool's thread
            try
            {
                var.reset(t); // the same context as before the yields
                token_kept = true;
                first.push_back(read()); // 1
            }
            catch(cv::token_error const&)
            {
            }
        }, asio::detached);
        asio::spawn(io, [&](asio::yield_context y) {
            second.push_back(read()); // 1
            var.set(3);
            asio::post(y);
            second.push_back(read()); // 3: not the sibling's 2
        }, asio::detached);
    });
    io.run();
    pool.join();
#if BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN
    BOOST_TEST(first == (std::vector<int>{1, 2, 2, 1}), boost::test_tools::per_element());
    BOOST_TEST(token_kept);
#else
    // No hook marks the start of a stackful coroutine: each resumption is a
    // new context, and the token is foreign after a yield.
    BOOST_TEST(first == (std::vector<int>{1, 2, 2}), boost::test_tools::per_element());
    BOOST_TEST(!token_kept);
#endif
    BOOST_TEST(second == (std::vector<int>{1, 3}), boost::test_tools::per_element());
    BOOST_TEST(read() == none);
}

#if BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN
// The completion of a spawn runs in the spawner's context: a plain callback
// sees the spawner's values, not the ones the child ended with on a pool
// thread.
BOOST_AUTO_TEST_CASE(completion_runs_in_spawners_context)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    std::vector<int> seen;
    test_support::context_with(1).run([&] {
        asio::spawn(io, [&](asio::yield_context y) {
            var.set(30);
            asio::post(asio::bind_executor(pool, y));
            seen.push_back(read()); // 30
        }, [&](std::exception_ptr) {
            seen.push_back(read()); // 1: the spawner's
        });
    });
    io.run();
    pool.join();
    BOOST_TEST(seen == (std::vector<int>{30, 1}), boost::test_tools::per_element());
}

// A spawn made from code already running on the child's executor runs the
// child inline, up to its first suspension. The spawner, a plain handler
// here, has its own context back after that: it reads its own value, and
// what it posts next copies it, not the child's.
BOOST_AUTO_TEST_CASE(handler_spawning_inline_keeps_its_context)
{
    asio::io_context io;
    std::vector<int> seen;
    std::vector<int> child;
    test_support::context_with(1).run([&] {
        asio::post(io, [&] {
            asio::spawn(io, [&](asio::yield_context y) {
                child.push_back(read()); // 1: a copy of the spawner's
                var.set(5);
                asio::post(y);
                child.push_back(read()); // 5
            }, asio::detached);
            BOOST_TEST(child.size() == 1u); // it did run inline
            seen.push_back(read()); // 1
            asio::post(io, [&] { seen.push_back(read()); }); // 1
        });
    });
    io.run();
    BOOST_TEST(child == (std::vector<int>{1, 5}), boost::test_tools::per_element());
    BOOST_TEST(seen == (std::vector<int>{1, 1}), boost::test_tools::per_element());
    BOOST_TEST(read() == none);
}

// The same with a stackful spawner, as a server's accept loop spawns its
// sessions, and a C++20 one: each keeps its own values, and its token,
// across the child's start and its own later yields.
BOOST_AUTO_TEST_CASE(coroutine_spawning_inline_keeps_its_context)
{
    asio::io_context io;
    std::vector<int> seen;
    std::vector<int> children;
    auto child = [&](asio::yield_context y) {
        children.push_back(read());
        var.set(100 + read());
        asio::post(y);
        children.push_back(read());
    };
    test_support::context_with(1).run([&] {
        asio::spawn(io, [&](asio::yield_context y) {
            auto t = var.set(2);
            asio::spawn(y.get_executor(), child, asio::detached);
            seen.push_back(read()); // 2
            asio::post(y);
            seen.push_back(read()); // 2
            BOOST_TEST(!test_support::is_foreign(t));
        }, asio::detached);
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            var.set(3);
            asio::spawn(co_await asio::this_coro::executor, child, asio::detached);
            seen.push_back(read()); // 3
            co_await asio::post(io, asio::use_awaitable);
            seen.push_back(read()); // 3
        }, asio::detached);
#endif
    });
    io.run();
    std::sort(seen.begin(), seen.end());
    std::sort(children.begin(), children.end());
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
    BOOST_TEST(seen == (std::vector<int>{2, 2, 3, 3}), boost::test_tools::per_element());
    BOOST_TEST(children == (std::vector<int>{2, 3, 102, 103}), boost::test_tools::per_element());
#else
    BOOST_TEST(seen == (std::vector<int>{2, 2}), boost::test_tools::per_element());
    BOOST_TEST(children == (std::vector<int>{2, 102}), boost::test_tools::per_element());
#endif
}

// The child of an inline spawn finishes on another thread while its spawner
// still runs: the spawner's thread must not point into the child's stack,
// which is gone by then (AddressSanitizer sees a use after free otherwise).
BOOST_AUTO_TEST_CASE(inline_child_finishing_elsewhere)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    bool finished = false;
    std::vector<int> seen;
    int child_end = none;
    test_support::context_with(1).run([&] {
        asio::post(io, [&] {
            asio::spawn(io, [&](asio::yield_context y) {
                var.set(7);
                asio::post(asio::bind_executor(pool, y));
                child_end = read(); // 7, on the pool's thread
            }, [&](std::exception_ptr) { finished = true; });
            seen.push_back(read()); // 1
            pool.join(); // the child has run to its end on the pool
            seen.push_back(read()); // 1
        });
    });
    io.run();
    BOOST_TEST(finished);
    BOOST_TEST(child_end == 7);
    BOOST_TEST(seen == (std::vector<int>{1, 1}), boost::test_tools::per_element());
}

# if BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS == 3
// A stackful coroutine that waits for its child is resumed by the child's
// completion, from the child's last step on a pool thread, and resumes in
// its own context. (Asio 1.26's spawn cannot take a yield_context as the
// completion of a spawn: its handler rethrows a null exception_ptr.)
BOOST_AUTO_TEST_CASE(waiting_for_a_child_resumes_in_own_context)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    std::vector<int> seen;
    test_support::context_with(1).run([&] {
        asio::spawn(io, [&](asio::yield_context y) {
            auto t = var.set(10);
            asio::spawn(io, [&](asio::yield_context cy) {
                seen.push_back(read()); // 10: a copy of the parent's
                var.set(20);
                asio::post(asio::bind_executor(pool, cy));
                seen.push_back(read()); // 20
            }, y);
            seen.push_back(read()); // 10: the parent's own
            var.reset(t);           // and still the same context
            seen.push_back(read()); // 1
        }, asio::detached);
    });
    io.run();
    pool.join();
    BOOST_TEST(seen == (std::vector<int>{10, 20, 10, 1}), boost::test_tools::per_element());
}
# endif
#endif
