// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Strict mode in a program that includes only the core, <boost/contextvars.hpp>,
// and Asio itself, in that order (issue 22): compiled with
// -DBOOST_CONTEXTVARS_STRICT, a set() in a thread's base context inside an
// Asio run loop is reported, although none of the library's Asio headers
// (which used to be the only ones to tell strict mode about run loops) is
// included.

#include <boost/contextvars.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#if defined(BOOST_CONTEXTVARS_ASIO_HPP_INCLUDED) || defined(BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED)
# error "this test must not include the library's Asio headers"
#endif
#if !defined(BOOST_CONTEXTVARS_STRICT)
# error "this test is compiled with -DBOOST_CONTEXTVARS_STRICT"
#endif

#include "strict_recorder.hpp"

#define BOOST_TEST_MODULE strict_core_only
#include <boost/test/unit_test.hpp>

#include <thread>

namespace cv = boost::contextvars;
namespace asio = boost::asio;
using test_support::count;

namespace {
cv::context_var<int> request_id("request_id", 0);
} // namespace

BOOST_AUTO_TEST_CASE(strict_mode_is_on)
{
    // -DBOOST_CONTEXTVARS_STRICT installed the default handler at start-up.
    cv::strict_handler h = cv::set_strict_handler(nullptr);
    BOOST_TEST(h == &cv::default_strict_handler);
    cv::set_strict_handler(h);
}

BOOST_AUTO_TEST_CASE(base_context_set_inside_a_run_loop_is_reported)
{
    std::thread t([] { // a thread of its own: its base context starts empty
        test_support::recorder rec;
        asio::io_context io;
        asio::post(io, [] { request_id.set(7); }); // no context: lands in the base context
        io.run();
        auto reports = rec.taken();
        BOOST_TEST(count(reports, cv::strict_violation::set_in_base_context) == 1u);
        BOOST_TEST(reports.size() == 1u);
        if(!reports.empty())
        {
            BOOST_TEST(reports[0].message.find("'request_id'") != std::string::npos);
        }
    });
    t.join();
}

BOOST_AUTO_TEST_CASE(on_a_thread_pool_thread_too)
{
    test_support::recorder rec;
    asio::thread_pool pool(1);
    asio::post(pool, [] { request_id.set(8); });
    pool.join();
    BOOST_TEST(count(rec.taken(), cv::strict_violation::set_in_base_context) == 1u);
}

BOOST_AUTO_TEST_CASE(no_report_outside_a_run_loop_or_inside_a_context)
{
    std::thread t([] {
        test_support::recorder rec;
        request_id.set(1); // the base context, but no run loop: a plain thread may
        asio::io_context io;
        asio::post(io, cv::bind_context([] { request_id.set(2); })); // its own context
        asio::post(io, [] { cv::context().run([] { request_id.set(3); }); });
        io.run();
        BOOST_TEST(rec.taken().empty());
    });
    t.join();
}
