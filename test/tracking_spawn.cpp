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
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/thread_pool.hpp>

#define BOOST_TEST_MODULE tracking_spawn
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

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
