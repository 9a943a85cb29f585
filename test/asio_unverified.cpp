// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// What the support table promises for an Asio version the library has not
// verified, simulated by making asio_version.hpp read an unlisted version:
// whole-program tracking still propagates operations and forks co_spawn's
// children, co_spawn's completion runs in the context its child finished in
// (the documented degradation), bind_context(token) is the remedy, and strict
// mode reports each unbound spawn. (The compile-time message is checked by
// asio_unverified_message.cpp.)

#define BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION 999999
#define BOOST_CONTEXTVARS_ALLOW_UNVERIFIED_ASIO

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/strict.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE asio_unverified
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"
#include "strict_recorder.hpp"

#include <vector>

#if !defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
# error "test/asio_unverified.cpp is built with Boost::contextvars_tracking"
#endif

static_assert(!BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED, "the simulated version is not in the list");
static_assert(!BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN && !BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN,
    "no spawn hook is installed on an unverified Asio");

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;
using test_support::read;
using test_support::var;

namespace {

using test_support::count;

awaitable<int> child(asio::thread_pool& pool)
{
    var.set(200);
    co_await asio::post(asio::bind_executor(pool, use_awaitable));
    co_return read();
}

} // namespace

// Runs first (Boost.Test runs cases in declaration order): the once-per-process
// report has not been made yet.
BOOST_AUTO_TEST_CASE(spawn_is_forked_and_its_unbound_completion_reported_once)
{
    asio::io_context io;
    test_support::recorder rec;
    std::vector<int> seen;
    test_support::context_with(1).run([&] {
        asio::co_spawn(io, [&]() -> awaitable<void> {
            var.set(2);
            asio::co_spawn(co_await asio::this_coro::executor, [&]() -> awaitable<void> {
                seen.push_back(read()); // 2: a copy of the parent's
                var.set(30);            // its own context: not the parent's
                co_return;
            }, asio::detached);
            seen.push_back(read()); // 2
        }, asio::detached);
    });
    io.run();
    BOOST_TEST(seen == (std::vector<int>{2, 2}), boost::test_tools::per_element());
    BOOST_TEST(count(rec.taken(), cv::strict_violation::unverified_asio) == 1u);
}

// The table's "degraded" cell: a completion callback sees the child's final
// value, where a verified Asio gives the spawner's.
BOOST_AUTO_TEST_CASE(completion_callback_runs_in_childs_final_context)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    int in_callback = 0;
    test_support::context_with(5).run([&] {
        asio::co_spawn(io, child(pool), [&](std::exception_ptr, int) { in_callback = read(); });
    });
    io.run();
    pool.join();
    BOOST_TEST(in_callback == 200);
}

// An awaited spawn is reported, and bind_context(use_awaitable) keeps the
// awaiter in its own context.
BOOST_AUTO_TEST_CASE(awaited_spawn_reported_and_bind_context_remedies)
{
    asio::io_context io;
    asio::thread_pool pool(1);
    test_support::recorder rec;
    std::vector<int> seen;
    test_support::context_with(7).run([&] {
        asio::co_spawn(io, [&]() -> awaitable<void> {
            auto ex = co_await asio::this_coro::executor;
            seen.push_back(co_await asio::co_spawn(ex, child(pool), cv::bind_context(use_awaitable))); // 200
            seen.push_back(read()); // 7: the awaiter's own
            BOOST_TEST(count(rec.taken(), cv::strict_violation::awaited_spawn_under_tracking) == 0u);
            seen.push_back(co_await asio::co_spawn(ex, child(pool), use_awaitable)); // 200
            seen.push_back(read()); // 200: resumed in the child's context (degraded)
        }, asio::detached);
    });
    io.run();
    pool.join();
    BOOST_TEST(seen == (std::vector<int>{200, 7, 200, 200}), boost::test_tools::per_element());
    BOOST_TEST(count(rec.taken(), cv::strict_violation::awaited_spawn_under_tracking) == 1u);
}
