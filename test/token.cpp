// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests for <boost/contextvars/token.hpp>: what a token records (its variable,
// the old value, whether it was used), moving it, and the ways reset() refuses
// one (CPython's three cases, plus empty tokens). The header under test comes
// first, so that it is proven self-contained.

#include <boost/contextvars/token.hpp>

#define BOOST_TEST_MODULE token
#include <boost/test/unit_test.hpp>

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/errors.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "core_test_support.hpp"

namespace cv = boost::contextvars;
using cv::context;
using cv::context_var;
using cv::copy_context;
using cv::token;
using cv::token_error;
using test_support::isolated, test_support::contains, test_support::what_thrown;

static_assert(!std::is_copy_constructible<token<int>>::value, "tokens are move-only");
static_assert(!std::is_copy_assignable<token<int>>::value, "tokens are move-only");
static_assert(std::is_nothrow_move_constructible<token<int>>::value, "tokens move without throwing");
static_assert(std::is_nothrow_move_assignable<token<int>>::value, "tokens move without throwing");
static_assert(std::is_nothrow_default_constructible<token<int>>::value, "an empty token costs nothing");

// ---------------------------------------------------------------------------
// what a token records

BOOST_AUTO_TEST_CASE(token_accessors)
{
    isolated([] {
        context_var<int> v("v");
        auto t0 = v.set(1);
        BOOST_TEST(static_cast<bool>(t0));
        BOOST_TEST(&t0.var() == &v);
        BOOST_TEST(t0.var().name() == "v");
        BOOST_TEST(t0.old_value() == nullptr); // Token.MISSING
        BOOST_TEST(!t0.used());

        auto t1 = v.set(2);
        BOOST_TEST_REQUIRE(t1.old_value() != nullptr);
        BOOST_TEST(*t1.old_value() == 1);
        BOOST_TEST(!t1.used());
        v.reset(t1);
        BOOST_TEST(t1.used());
        BOOST_TEST(static_cast<bool>(t1)); // a used token still records its set()
        BOOST_TEST(&t1.var() == &v);
        BOOST_TEST(!t0.used());
        v.reset(t0);
        BOOST_TEST(t0.used());
    });
}

// The old value outlives the value it was: the token holds it.
BOOST_AUTO_TEST_CASE(token_old_value_outlives_replacement)
{
    isolated([] {
        context_var<std::string> v("v");
        auto t0 = v.set("first");
        auto t1 = v.set("second");
        auto t2 = v.set("third");
        BOOST_TEST_REQUIRE(t1.old_value() != nullptr);
        BOOST_TEST(*t1.old_value() == "first");
        BOOST_TEST_REQUIRE(t2.old_value() != nullptr);
        BOOST_TEST(*t2.old_value() == "second");
    });
}

// Python keeps Token.old_value after reset():
//   t0 = v.set(1); t = v.set(2); v.reset(t); t.old_value == 1
// token.hpp documents old_value() as "the value the variable had before the
// set(), or null if it had none ... valid while the token lives".
// Regression test: before ae0aa72, restore() handed the token's reference to
// the context and nulled old_, so old_value() then claimed "no old value".
BOOST_AUTO_TEST_CASE(token_old_value_survives_reset)
{
    for(bool shared: {false, true}) // reset updates in place / copies the path
    {
        isolated([&] {
            context_var<int> v("v");
            auto t0 = v.set(1);
            auto t = v.set(2);
            std::optional<context> keep;
            if(shared)
            {
                keep = copy_context();
            }
            v.reset(t);
            BOOST_TEST(v.get() == 1);
            BOOST_TEST(t.old_value() != nullptr, "shared=" << shared);
            if(t.old_value() != nullptr)
            {
                BOOST_TEST(*t.old_value() == 1);
            }
        });
    }
}

BOOST_AUTO_TEST_CASE(token_move)
{
    isolated([] {
        context_var<int> v("v");
        auto t = v.set(1);
        token<int> moved(std::move(t));
        BOOST_TEST(!static_cast<bool>(t));
        BOOST_TEST(static_cast<bool>(moved));
        BOOST_TEST(&moved.var() == &v);

        token<int> assigned;
        assigned = std::move(moved);
        BOOST_TEST(!static_cast<bool>(moved));
        BOOST_TEST(&assigned.var() == &v);
        assigned.swap(moved);
        BOOST_TEST(!static_cast<bool>(assigned));
        v.reset(moved);
        BOOST_TEST(v.try_get() == nullptr);
    });
}

// ---------------------------------------------------------------------------
// token errors: the three CPython cases, and empty tokens

BOOST_AUTO_TEST_CASE(reset_with_used_token_throws)
{
    isolated([] {
        context_var<int> v("used_var");
        auto t0 = v.set(1);
        auto t = v.set(2);
        v.reset(t);
        auto t3 = v.set(3);
        std::string const what = what_thrown<token_error>([&] { v.reset(t); });
        BOOST_TEST(contains(what, "'used_var'"));
        BOOST_TEST(contains(what, "already been used"));
        BOOST_TEST(v.get() == 3); // nothing changed
        BOOST_CHECK_THROW(v.reset(t), std::logic_error);
    });
}

BOOST_AUTO_TEST_CASE(reset_with_other_vars_token_throws)
{
    isolated([] {
        context_var<int> v1("v_one");
        context_var<int> v2("v_two");
        auto t1 = v1.set(42);
        auto t2 = v2.set(43);
        std::string const what = what_thrown<token_error>([&] { v2.reset(t1); });
        BOOST_TEST(contains(what, "'v_two'"));
        BOOST_TEST(contains(what, "'v_one'"));
        BOOST_TEST(v1.get() == 42);
        BOOST_TEST(v2.get() == 43);
        BOOST_TEST(!t1.used());
        v1.reset(t1); // still usable with its own variable
        BOOST_TEST(v1.try_get() == nullptr);
    });
}

// Python checks "already used" before "other var": a used token reset through
// another variable reports the former.
BOOST_AUTO_TEST_CASE(used_is_checked_before_other_var)
{
    isolated([] {
        context_var<int> v1("v1");
        context_var<int> v2("v2");
        auto t1 = v1.set(1);
        v1.reset(t1);
        BOOST_TEST(contains(what_thrown<token_error>([&] { v2.reset(t1); }), "already been used"));
    });
}

BOOST_AUTO_TEST_CASE(reset_in_other_context_throws)
{
    isolated([] {
        context_var<int> v("ctx_var", 42);
        context ctx;
        token<int> tok = ctx.run([&] { return v.set(1); });
        std::string const what = what_thrown<token_error>([&] { v.reset(tok); });
        BOOST_TEST(contains(what, "'ctx_var'"));
        BOOST_TEST(contains(what, "different context"));
        BOOST_TEST(!tok.used()); // a failed reset does not consume the token
        BOOST_TEST(*ctx.get(v) == 1);
        ctx.run([&] { v.reset(tok); }); // its own context accepts it
        BOOST_TEST(!ctx.contains(v));
        BOOST_TEST(tok.used());
    });
}

BOOST_AUTO_TEST_CASE(reset_in_copy_of_context_throws)
{
    isolated([] {
        context_var<int> v("v");
        auto t = v.set(1);
        context copy = copy_context();
        copy.run([&] { BOOST_CHECK_THROW(v.reset(t), token_error); });
        BOOST_TEST(*copy.get(v) == 1);
        v.reset(t);
    });
}

BOOST_AUTO_TEST_CASE(empty_and_moved_from_tokens)
{
    isolated([] {
        context_var<int> v("empty_var");
        token<int> empty;
        BOOST_TEST(!static_cast<bool>(empty));
        BOOST_TEST(!empty.used());
        BOOST_TEST(empty.old_value() == nullptr);
        BOOST_CHECK_THROW(empty.var(), token_error);
        // var() does not reset anything: its message says what was asked (issue 11).
        std::string const what_var = what_thrown<token_error>([&] { (void)empty.var(); });
        BOOST_TEST(contains(what_var, "token::var()"));
        BOOST_TEST(contains(what_var, "empty"));
        BOOST_TEST(!contains(what_var, "reset"));
        BOOST_TEST(!contains(what_var, "<none>"));
        std::string const what = what_thrown<token_error>([&] { v.reset(empty); });
        BOOST_TEST(contains(what, "'empty_var'"));
        BOOST_TEST(contains(what, "empty"));

        auto t = v.set(1);
        auto t2 = std::move(t);
        BOOST_CHECK_THROW(v.reset(t), token_error);
        BOOST_CHECK_THROW(t.var(), token_error);
        BOOST_TEST(v.get() == 1);
        v.reset(t2);
        BOOST_TEST(v.try_get() == nullptr);
    });
}
