// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking with the deprecated asio::spawn overloads of
// Boost 1.81 to 1.83 (over Boost.Coroutine, without a completion token),
// spawn(yield, f) among them: the child forks as with the current overloads,
// and its spawner, which starts it inline, has its own context back at the
// child's first yield (asio/detail/tracking_spawn.hpp). Later Boosts have no
// such overloads, and the test then has nothing to check.

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/asio.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>

#define BOOST_TEST_MODULE tracking_spawn_coroutine
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <algorithm>
#include <vector>

namespace asio = boost::asio;
using test_support::none;
using test_support::read;
using test_support::var;

#if BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN && defined(BOOST_ASIO_HAS_BOOST_COROUTINE)

BOOST_AUTO_TEST_CASE(deprecated_spawn_forks)
{
    asio::io_context io;
    std::vector<int> parent;
    std::vector<int> children;
    auto child = [&](asio::yield_context y) {
        children.push_back(read()); // a copy of the parent's
        var.set(read() + 100);
        asio::post(y);
        children.push_back(read()); // its own
    };
    test_support::context_with(1).run([&] {
        asio::spawn(io, [&](asio::yield_context y) {
            parent.push_back(read()); // 1
            auto t = var.set(2);
            asio::spawn(y, child);
            parent.push_back(read()); // 2
            var.set(3);
            asio::spawn(y, child, boost::coroutines::attributes());
            asio::post(y);
            parent.push_back(read()); // 3
            BOOST_TEST(!test_support::is_foreign(t));
        }, boost::coroutines::attributes());
    });
    io.run();
    std::sort(children.begin(), children.end());
    BOOST_TEST(parent == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
    BOOST_TEST(children == (std::vector<int>{2, 3, 102, 103}), boost::test_tools::per_element());
    BOOST_TEST(read() == none);
}

#else

// The deprecated overloads exist up to Asio 1.28.2 (Boost 1.83): an older
// Asio without the fork would start their children in their parents'
// contexts.
BOOST_AUTO_TEST_CASE(no_deprecated_spawn)
{
    BOOST_TEST(BOOST_ASIO_VERSION > 102802);
}

#endif
