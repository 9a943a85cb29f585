// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests for <boost/contextvars/errors.hpp>: the exception types keep their
// standard bases, and every error the library raises goes through
// boost::throw_exception, so it can be caught by its own type, by its std
// base, and as a boost::exception that records where in the library it was
// thrown. The header under test comes first, so that it is proven
// self-contained.

#include <boost/contextvars/errors.hpp>

#define BOOST_TEST_MODULE errors
#include <boost/test/unit_test.hpp>

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/exception/exception.hpp>
#include <boost/exception/get_error_info.hpp>
#include <boost/throw_exception.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "core_test_support.hpp"

namespace cv = boost::contextvars;
using test_support::isolated, test_support::contains, test_support::what_thrown;

static_assert(std::is_base_of<std::out_of_range, cv::lookup_error>::value, "Python's LookupError");
static_assert(std::is_base_of<std::logic_error, cv::token_error>::value, "a misused token is a logic error");
static_assert(std::is_base_of<std::logic_error, cv::context_error>::value, "re-entering is a logic error");
static_assert(!std::is_base_of<cv::token_error, cv::context_error>::value, "distinct types");
static_assert(std::is_nothrow_copy_constructible<cv::lookup_error>::value, "copying an exception never throws");
static_assert(std::is_nothrow_copy_constructible<cv::token_error>::value, "copying an exception never throws");
static_assert(std::is_nothrow_copy_constructible<cv::context_error>::value, "copying an exception never throws");

namespace {

// Runs `f`, which must throw E; checks the four ways a user may catch it and
// returns its message. Each catch clause is a separate throw, so a type that
// matched only one of them fails the others.
template<class E, class Std, class F>
std::string check_thrown(F f)
{
    std::string what = what_thrown<E>(f);
    BOOST_CHECK_THROW(f(), Std);
    BOOST_CHECK_THROW(f(), std::exception);
    try
    {
        f();
    }
    catch(boost::exception const& e)
    {
        // boost::throw_exception records the throw site: a library header.
        char const* const* file = boost::get_error_info<boost::throw_file>(e);
        BOOST_TEST_REQUIRE(file != nullptr);
        BOOST_TEST(contains(*file, "contextvars"), *file);
        BOOST_TEST(boost::get_error_info<boost::throw_line>(e) != nullptr);
    }
    catch(...)
    {
        BOOST_ERROR("not thrown through boost::throw_exception");
    }
    return what;
}

} // namespace

BOOST_AUTO_TEST_CASE(lookup_error_from_get)
{
    isolated([] {
        cv::context_var<int> v("missing_var");
        std::string what = check_thrown<cv::lookup_error, std::out_of_range>([&] { (void)v.get(); });
        BOOST_TEST(contains(what, "'missing_var'"), what);
    });
}

BOOST_AUTO_TEST_CASE(token_error_from_reset)
{
    isolated([] {
        cv::context_var<int> v("tok_var");
        auto t = v.set(1);
        v.reset(t);
        std::string what = check_thrown<cv::token_error, std::logic_error>([&] { v.reset(t); });
        BOOST_TEST(contains(what, "'tok_var'"), what);
    });
}

BOOST_AUTO_TEST_CASE(context_error_from_run)
{
    isolated([] {
        cv::context ctx;
        ctx.run([&] {
            std::string what = check_thrown<cv::context_error, std::logic_error>([&] { ctx.run([] {}); });
            BOOST_TEST(contains(what, "entered"), what);
        });
    });
}
