// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking built with BOOST_ASIO_DISABLE_SOURCE_LOCATION (as
// on a standard library without <source_location>). Asio 1.26 names
// co_spawn's entry point without it, and this program must behave: a nested
// child's first step runs in a context of its own. Later Asio versions name
// it only through std::source_location, so there the tracking header refuses
// to compile, with a message (test/CMakeLists.txt registers this file as a
// compile failure for them).

#include <boost/contextvars/asio.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE tracking_no_source_location
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <vector>

namespace asio = boost::asio;
using test_support::read;
using test_support::var;

BOOST_AUTO_TEST_CASE(nested_child_does_not_write_into_its_parent)
{
    asio::io_context io;
    std::vector<int> seen;
    test_support::context_with(1).run([&] {
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            asio::co_spawn(co_await asio::this_coro::executor, [&]() -> asio::awaitable<void> {
                var.set(30);
                co_await asio::post(asio::use_awaitable);
                seen.push_back(read()); // 30
            }, asio::detached);
            seen.push_back(read()); // 1: not the child's 30
            co_await asio::post(asio::use_awaitable);
            seen.push_back(read()); // 1
        }, asio::detached);
    });
    io.run();
    BOOST_TEST(seen == (std::vector<int>{1, 30, 1}), boost::test_tools::per_element());
}
