// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking with asio::spawn (stackful coroutines, Boost.Context):
// the body starts in a copy of the spawner's context and its values follow
// it across every yield, including a hop to a thread pool; siblings are
// isolated. The documented limit: no hook marks the start of a stackful
// coroutine, so each resumption is a new context and a token made before a
// yield is foreign after it.

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
    bool token_foreign = false;
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
                var.reset(t);
            }
            catch(cv::token_error const&)
            {
                token_foreign = true; // the documented limit
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
    BOOST_TEST(first == (std::vector<int>{1, 2, 2}), boost::test_tools::per_element());
    BOOST_TEST(second == (std::vector<int>{1, 3}), boost::test_tools::per_element());
    BOOST_TEST(token_foreign);
    BOOST_TEST(read() == none);
}
