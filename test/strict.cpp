// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Strict mode (strict.hpp) without whole-program tracking: what it reports
// (a set() in a thread's base context inside an Asio run loop: a plain
// handler, an unwrapped co_spawn, a coroutine on a context_executor that hops
// to a plain thread pool through bind_executor; a scoped_set destroyed in a
// foreign context) and what it leaves alone (handlers that have a context,
// code outside any run loop, strict mode off).

#include <boost/contextvars/strict.hpp>

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/scoped_set.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#define BOOST_TEST_MODULE strict
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"
#include "strict_recorder.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using test_support::read;
using test_support::var;
using test_support::wait;
using test_support::recorder;

BOOST_AUTO_TEST_CASE(set_in_plain_handler_is_reported)
{
    recorder rec;
    asio::io_context io(1);
    asio::post(io, [] { var.set(1); });
    io.run();
    auto r = rec.taken();
    BOOST_REQUIRE(r.size() == 1u);
    BOOST_TEST((r[0].kind == cv::strict_violation::set_in_base_context));
    BOOST_TEST(r[0].message.find("'var'") != std::string::npos);
    // (The value did land in the io thread's base context: here, the main thread's.)
    var.set(-1); // outside a run loop: not reported
    BOOST_TEST(rec.taken().size() == 1u);
    cv::context().run([] {});
}

// The docs' example: a handler that logs instead of asserting.
// tag::strict_handler[]
std::atomic<int> violations{0};

void count_violation(cv::strict_report const& r)
{
    ++violations; // a real program would log r.message
    (void)r;
}
// end::strict_handler[]

BOOST_AUTO_TEST_CASE(custom_handler)
{
    // tag::strict_handler[]
    cv::strict_handler previous = cv::set_strict_handler(&count_violation);
    asio::io_context io;
    asio::post(io, [] { var.set(1); });          // a plain handler, no tracking
    io.run();
    BOOST_TEST(violations == 1);
    cv::set_strict_handler(previous);
    // end::strict_handler[]
}

BOOST_AUTO_TEST_CASE(unwrapped_co_spawn_is_reported)
{
    recorder rec;
    asio::io_context io(1);
    auto f = asio::co_spawn(io, []() -> asio::awaitable<void> {
        var.set(2);
        co_return;
    }, asio::use_future);
    io.run();
    f.get();
    BOOST_TEST(rec.taken().size() == 1u);
}

// The seam of the whole-program issue: a coroutine on a context_executor
// offloads to a plain pool with bind_executor. Nothing installs its context
// there; its first set() on the pool is reported.
BOOST_AUTO_TEST_CASE(hop_to_plain_pool_is_reported)
{
    recorder rec;
    test_support::io_threads t(1);
    asio::thread_pool pool(1);
    auto f = asio::co_spawn(cv::context_executor(t.io.get_executor()), [&]() -> asio::awaitable<void> {
        var.set(3); // the coroutine's own context: fine
        co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
        var.set(4); // on the pool, in its thread's base context
        co_await asio::post(asio::bind_executor(cv::context_executor(pool.get_executor()), asio::use_awaitable));
        var.set(5); // through a context_executor: fine
    }, asio::use_future);
    wait(f);
    pool.join();
    auto r = rec.taken();
    BOOST_REQUIRE(r.size() == 1u);
    BOOST_TEST((r[0].kind == cv::strict_violation::set_in_base_context));
}

BOOST_AUTO_TEST_CASE(handlers_with_a_context_are_not_reported)
{
    recorder rec;
    asio::io_context io(1);
    cv::context_executor ex(io.get_executor());
    for(int i = 0; i < 5; ++i)
    {
        asio::post(ex, [] { var.set(1); });
        asio::post(io, cv::bind_context([] { var.set(2); }));
    }
    io.run();
    BOOST_TEST(rec.taken().empty());
}

BOOST_AUTO_TEST_CASE(scoped_set_in_foreign_context_is_reported)
{
    recorder rec;
    std::optional<cv::scoped_set<int>> g;
    cv::context a;
    a.run([&] { g.emplace(var, 1); });
    cv::context b;
    b.run([&] { g.reset(); }); // the value stays in a
    auto r = rec.taken();
    BOOST_REQUIRE(r.size() == 1u);
    BOOST_TEST((r[0].kind == cv::strict_violation::scoped_set_in_foreign_context));
    BOOST_TEST(*a.get(var) == 1);
}

BOOST_AUTO_TEST_CASE(strict_mode_off_reports_nothing)
{
    {
        recorder rec; // installs, then restores the previous (none)
    }
    BOOST_TEST(cv::set_strict_handler(nullptr) == nullptr);
    asio::io_context io(1);
    asio::post(io, [] { var.set(1); });
    io.run(); // nothing reported, nothing asserted
    cv::enable_strict_mode();
    BOOST_TEST(cv::set_strict_handler(nullptr) == &cv::default_strict_handler);
}

BOOST_AUTO_TEST_CASE(translation_units_agree)
{
    BOOST_TEST(cv::detail::tracking_kinds_seen.load() == unsigned(cv::detail::tracking_off));
}
