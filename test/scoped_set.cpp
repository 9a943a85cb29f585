// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests for <boost/contextvars/scoped_set.hpp>: set on construction, reset on
// destruction, and the cases where the destructor must do nothing.

#include <boost/contextvars/scoped_set.hpp>

#define BOOST_TEST_MODULE scoped_set
#include <boost/test/unit_test.hpp>

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/errors.hpp>
#include <boost/contextvars/token.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core_test_support.hpp"

namespace cv = boost::contextvars;
using cv::context;
using cv::context_var;
using cv::copy_context;
using cv::scoped_set;
using cv::token;
using cv::token_error;

namespace {

using test_support::isolated;

} // namespace

static_assert(!std::is_copy_constructible<scoped_set<int>>::value, "a guard is not copyable");
static_assert(!std::is_copy_assignable<scoped_set<int>>::value, "a guard is not copyable");
static_assert(std::is_nothrow_destructible<scoped_set<int>>::value, "the destructor never throws");

BOOST_AUTO_TEST_CASE(sets_and_restores)
{
    isolated([] {
        context_var<int> v("v");
        {
            scoped_set<int> g(v, 1);
            BOOST_TEST(v.get() == 1);
            BOOST_TEST(copy_context().contains(v));
        }
        BOOST_TEST(v.try_get() == nullptr); // removed: there was no value before
        BOOST_TEST(!copy_context().contains(v));

        auto t = v.set(5);
        {
            scoped_set<int> g(v, 6);
            BOOST_TEST(v.get() == 6);
        }
        BOOST_TEST(v.get() == 5); // put back
        v.reset(t);
    });
}

BOOST_AUTO_TEST_CASE(restores_on_exception)
{
    isolated([] {
        context_var<int> v("v", 0);
        try
        {
            scoped_set<int> g(v, 1);
            throw std::runtime_error("unwind");
        }
        catch(std::runtime_error const&)
        {
        }
        BOOST_TEST(v.get() == 0);
        BOOST_TEST(copy_context().empty());
    });
}

BOOST_AUTO_TEST_CASE(ctad_and_conversion)
{
    isolated([] {
        context_var<int> v("v");
        context_var<std::string> s("s");
        {
            scoped_set g(v, 7);
            static_assert(std::is_same<decltype(g), scoped_set<int>>::value, "CTAD deduces T from the var");
            scoped_set gs(s, "text"); // U = char const(&)[5], T = std::string
            static_assert(std::is_same<decltype(gs), scoped_set<std::string>>::value, "CTAD");
            scoped_set gl(v, 3L); // converted to int
            BOOST_TEST(v.get() == 3);
            BOOST_TEST(s.get() == "text");
        }
        BOOST_TEST(v.try_get() == nullptr);
        BOOST_TEST(s.try_get() == nullptr);
    });
}

// A guard accepts exactly what set() accepts: set() takes T by value, so
// implicit conversions only (issue 11). The rejected cases are also
// compile-fail tests: scoped_set_pointer_fail.cpp, scoped_set_explicit_fail.cpp.
template<class T, class U>
constexpr bool set_accepts = std::is_invocable<decltype(&context_var<T>::set), context_var<T> const&, U>::value;

template<class T, class U>
constexpr bool guard_accepts = std::is_constructible<scoped_set<T>, context_var<T> const&, U>::value;

template<class T, class U>
constexpr bool same_as_set = set_accepts<T, U> == guard_accepts<T, U>;

static_assert(!guard_accepts<long, char const*>, "no pointer-to-integer conversion");
static_assert(!guard_accepts<long, char const (&)[4]>, "no pointer-to-integer conversion");
static_assert(!guard_accepts<std::vector<int>, int>, "no explicit constructor");
static_assert(guard_accepts<std::string, char const*>, "an implicit conversion");
static_assert(guard_accepts<int, double>, "as set(3.9): an implicit (truncating) conversion");
static_assert(same_as_set<long, char const*> && same_as_set<std::vector<int>, int> &&
    same_as_set<std::string, char const*> && same_as_set<int, double> && same_as_set<int, long> &&
    same_as_set<std::string, std::string_view> && same_as_set<std::unique_ptr<int>, int*> &&
    same_as_set<std::unique_ptr<int>, std::unique_ptr<int>> && same_as_set<long, std::nullptr_t>,
    "scoped_set accepts what set() accepts");

BOOST_AUTO_TEST_CASE(accepts_what_set_accepts)
{
    isolated([] {
        context_var<int> i("i");
        context_var<std::vector<int>> vec("vec");
        context_var<std::unique_ptr<int>> up("up");
        {
            // A braced list, as set({1, 2, 3}); CTAD takes T from the var.
            scoped_set g(vec, {1, 2, 3});
            BOOST_TEST(vec.get().size() == 3u);
            // A double converts as for set(3.9), truncating: the same
            // conversion, and the same -Wconversion warning where enabled.
            // (A variable: clang warns about the literal 3.9 for both.)
            double const d = 3.9;
            scoped_set gi(i, d);
            i.set(d);
            BOOST_TEST(i.get() == 3);
            // Move-only values move in.
            scoped_set gu(up, std::make_unique<int>(5));
            BOOST_TEST(*up.get() == 5);
        }
        BOOST_TEST(vec.try_get() == nullptr);
        BOOST_TEST(up.try_get() == nullptr);
    });
}

BOOST_AUTO_TEST_CASE(nested_guards)
{
    isolated([] {
        context_var<int> v("v", -1);
        context_var<int> w("w", -1);
        {
            scoped_set g1(v, 1);
            {
                scoped_set g2(v, 2);
                scoped_set g3(w, 3);
                {
                    scoped_set g4(v, 4);
                    BOOST_TEST(v.get() == 4);
                }
                BOOST_TEST(v.get() == 2);
                BOOST_TEST(w.get() == 3);
            }
            BOOST_TEST(v.get() == 1);
            BOOST_TEST(w.get() == -1);
        }
        BOOST_TEST(v.get() == -1);
        BOOST_TEST(copy_context().empty());
    });
}

// A guard's token is an ordinary token.
BOOST_AUTO_TEST_CASE(get_token)
{
    isolated([] {
        context_var<int> v("v");
        auto t0 = v.set(1);
        scoped_set g(v, 2);
        token<int>& t = g.get_token();
        BOOST_TEST(&t.var() == &v);
        BOOST_TEST(!t.used());
        BOOST_TEST_REQUIRE(t.old_value() != nullptr);
        BOOST_TEST(*t.old_value() == 1);
    });
}

// A guard whose token was reset by hand does nothing: the value set after
// the reset survives the guard.
BOOST_AUTO_TEST_CASE(token_reset_by_hand)
{
    isolated([] {
        context_var<int> v("v", 0);
        auto t0 = v.set(1);
        {
            scoped_set g(v, 2);
            v.reset(g.get_token());
            BOOST_TEST(v.get() == 1);
            BOOST_TEST(g.get_token().used());
            BOOST_CHECK_THROW(v.reset(g.get_token()), token_error);
            v.set(3);
        }
        BOOST_TEST(v.get() == 3); // not touched by the guard
        v.reset(t0); // t0 was never used
        BOOST_TEST(v.get() == 0);
    });
}

// A guard destroyed while another context is current does nothing and does
// not throw. Observed outcome: the value stays set in the context where the
// guard was made (ctx still holds 1), and the current context is untouched.
BOOST_AUTO_TEST_CASE(destroyed_in_other_context)
{
    isolated([] {
        context_var<int> v("v", 0);
        auto t_outer = v.set(100);
        context ctx;
        std::optional<scoped_set<int>> g;
        ctx.run([&] { g.emplace(v, 1); });
        BOOST_TEST(v.get() == 100);
        g.reset(); // current context: the isolated one, not ctx
        BOOST_TEST(v.get() == 100);
        BOOST_TEST(copy_context().size() == 1u);
        BOOST_TEST_REQUIRE(ctx.get(v) != nullptr);
        BOOST_TEST(*ctx.get(v) == 1); // stays set where the guard was made

        // also when destroyed inside a run of a copy of ctx
        ctx.run([&] { g.emplace(v, 2); });
        context copy(ctx);
        copy.run([&] { g.reset(); });
        BOOST_TEST(*copy.get(v) == 2);
        BOOST_TEST(*ctx.get(v) == 2);
        v.reset(t_outer);
    });
}

// A guard whose token was moved out holds an empty token and must do nothing,
// wherever it is destroyed.
// Regression test: before 1707fa2, ~scoped_set checked only used(); an empty
// token has context id 0, which matches any context that never needed an id
// (a copy, a copy_context() result), so restore() erased v there.
BOOST_AUTO_TEST_CASE(token_moved_out)
{
    context_var<int> v("v");
    std::optional<scoped_set<int>> g;
    context a;
    a.run([&] { g.emplace(v, 1); });
    token<int> stolen = std::move(g->get_token());
    context b(a); // holds v = 1, and has no identity of its own yet
    b.run([&] { g.reset(); });
    BOOST_TEST(b.contains(v));
    BOOST_TEST(a.contains(v));
    a.run([&] { v.reset(stolen); }); // the token works where it was made
    BOOST_TEST(!a.contains(v));
}
