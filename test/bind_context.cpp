// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests for the core <boost/contextvars/bind_context.hpp> (no Asio):
// bind_context(f) and bind_context(ctx, f).

#include <boost/contextvars/bind_context.hpp>

#define BOOST_TEST_MODULE bind_context
#include <boost/test/unit_test.hpp>

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/errors.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core_test_support.hpp"

namespace cv = boost::contextvars;
using cv::bind_context;
using cv::context;
using cv::context_var;
using cv::copy_context;

namespace {

using test_support::isolated;

} // namespace

// f runs in a copy of the context current at bind time: later changes in
// the binding context are not seen, and the caller's context at call time
// does not matter.
BOOST_AUTO_TEST_CASE(runs_in_context_current_at_bind_time)
{
    isolated([] {
        context_var<int> v("v", -1);
        context_var<int> w("w", -1);
        v.set(1);
        auto bound = bind_context([&] { return std::make_pair(v.get(), w.get()); });
        v.set(2);
        w.set(3);
        BOOST_TEST((bound() == std::make_pair(1, -1)));

        context other;
        auto seen = other.run([&] {
            v.set(100);
            return bound();
        });
        BOOST_TEST((seen == std::make_pair(1, -1)));
        BOOST_TEST(v.get() == 2);
    });
}

// Each call gets a fresh copy: a set() in one call is not seen by the next.
BOOST_AUTO_TEST_CASE(each_call_gets_a_fresh_copy)
{
    isolated([] {
        context_var<int> v("v", 0);
        context_var<int> counter("counter", 0);
        v.set(1);
        std::vector<int> seen;
        auto bound = bind_context([&] {
            seen.push_back(v.get());
            seen.push_back(counter.get());
            v.set(v.get() + 10);
            counter.set(counter.get() + 1);
        });
        bound();
        bound();
        std::move(bound)(); // the rvalue overload too
        BOOST_TEST(seen == (std::vector<int>{1, 0, 1, 0, 1, 0}));
        BOOST_TEST(v.get() == 1);
        BOOST_TEST(counter.get() == 0);

        auto const cbound = bind_context([&] { return v.get(); }); // const overload
        v.set(5);
        BOOST_TEST(cbound() == 1);
    });
}

// Hands the context to a std::thread, which would otherwise start empty.
BOOST_AUTO_TEST_CASE(works_with_std_thread)
{
    isolated([] {
        context_var<std::string> v("v", "default");
        v.set("from main");
        std::string unbound_saw;
        std::string bound_saw;
        std::string after_set;
        std::thread unbound([&] { unbound_saw = v.get(); });
        unbound.join();
        std::thread th(bind_context([&] {
            bound_saw = v.get();
            v.set("from thread");
            after_set = v.get();
        }));
        th.join();
        BOOST_TEST(unbound_saw == "default");
        BOOST_TEST(bound_saw == "from main");
        BOOST_TEST(after_set == "from thread");
        BOOST_TEST(v.get() == "from main");

        // several threads sharing one binder's snapshot
        auto bound = bind_context([&](int i) {
            int bad = v.get() != "from main";
            v.set(std::to_string(i));
            bad += v.get() != std::to_string(i);
            return bad;
        });
        std::vector<int> bad(4, -1);
        std::vector<std::thread> threads;
        for(int i = 0; i < 4; ++i)
        {
            threads.emplace_back([&, i] {
                int total = 0;
                for(int k = 0; k < 100; ++k)
                {
                    total += bound(i);
                }
                bad[i] = total;
            });
        }
        for(auto& t: threads)
        {
            t.join();
        }
        BOOST_TEST(bad == (std::vector<int>{0, 0, 0, 0}));
    });
}

// bind_context(ctx, f) uses ctx's values as they are at bind time and never
// modifies ctx.
BOOST_AUTO_TEST_CASE(explicit_context)
{
    isolated([] {
        context_var<int> v("v", -1);
        context_var<int> w("w", -1);
        v.set(50); // the caller's context: not what the bound call sees
        context ctx;
        ctx.run([&] { v.set(1); });

        auto bound = bind_context(ctx, [&] {
            int seen = v.get();
            v.set(2);
            w.set(3);
            return seen;
        });
        ctx.run([&] { v.set(10); }); // after binding: not seen
        BOOST_TEST(bound() == 1);
        BOOST_TEST(bound() == 1);
        BOOST_TEST(ctx.size() == 1u);
        BOOST_TEST(*ctx.get(v) == 10);
        BOOST_TEST(!ctx.contains(w));
        BOOST_TEST(v.get() == 50);
        BOOST_TEST(w.get() == -1);

        context empty;
        BOOST_TEST(bind_context(empty, [&] { return v.get(); })() == -1);
        BOOST_TEST(empty.empty());
    });
}

// bind_context(ctx, f) can be called while ctx is entered: it runs in a copy.
BOOST_AUTO_TEST_CASE(explicit_context_while_entered)
{
    isolated([] {
        context_var<int> v("v", -1);
        context ctx;
        ctx.run([&] {
            v.set(1);
            auto bound = bind_context(ctx, [&] {
                v.set(2);
                return v.get();
            });
            BOOST_TEST(bound() == 2);
            BOOST_TEST(v.get() == 1);
        });
        BOOST_TEST(*ctx.get(v) == 1);
    });
}

// Arguments and return values are forwarded, references included.
BOOST_AUTO_TEST_CASE(arguments_and_results_forwarded)
{
    isolated([] {
        auto concat = bind_context([](int a, std::string const& b) { return b + std::to_string(a); });
        std::string s = "n=";
        BOOST_TEST(concat(3, s) == "n=3");

        int x = 0;
        auto ref = bind_context([&]() -> int& { return x; });
        static_assert(std::is_same<decltype(ref()), int&>::value, "a reference stays a reference");
        int& r = ref();
        BOOST_TEST(&r == &x);

        auto assign = bind_context([](int& target, int value) { target = value; });
        static_assert(std::is_same<decltype(assign(x, 1)), void>::value, "void");
        assign(x, 7);
        BOOST_TEST(x == 7);

        auto take = bind_context([](std::unique_ptr<int> p) { return p; });
        std::unique_ptr<int> p = take(std::make_unique<int>(4));
        BOOST_TEST_REQUIRE(static_cast<bool>(p));
        BOOST_TEST(*p == 4);

        // a move-only target
        auto owner = bind_context([q = std::make_unique<int>(9)] { return *q; });
        BOOST_TEST(owner() == 9);
        BOOST_TEST(owner.get()() == 9); // get() is the wrapped callable
    });
}

// The caller's context is untouched by a call, and current again after it.
BOOST_AUTO_TEST_CASE(caller_context_untouched)
{
    isolated([] {
        context_var<int> v("v", -1);
        context_var<int> w("w", -1);
        auto t = v.set(1);
        context before = copy_context();
        bind_context([&] {
            v.set(2);
            w.set(3);
            BOOST_TEST(copy_context().size() == 2u);
        })();
        BOOST_TEST(v.get() == 1);
        BOOST_TEST(w.get() == -1);
        context after = copy_context();
        BOOST_TEST(after.size() == 1u);
        BOOST_TEST(after.get(v) == before.get(v)); // the same value object
        v.reset(t); // the caller's identity is intact too
        BOOST_TEST(v.get() == -1);
    });
}

// An exception from f propagates and leaves the caller's context as before.
BOOST_AUTO_TEST_CASE(exception_leaves_caller_context)
{
    isolated([] {
        context_var<int> v("v", -1);
        v.set(1);
        auto bound = bind_context([&] {
            v.set(99);
            throw std::runtime_error("boom");
        });
        BOOST_CHECK_THROW(bound(), std::runtime_error);
        BOOST_TEST(v.get() == 1);
        BOOST_TEST(copy_context().size() == 1u);
        BOOST_CHECK_THROW(bound(), std::runtime_error); // still callable
        BOOST_TEST(v.get() == 1);
    });
}

// Binding on a thread that never set anything captures an empty context.
BOOST_AUTO_TEST_CASE(bind_with_no_current_context)
{
    context_var<int> v("v", -1);
    int seen = 0;
    std::size_t size = 99;
    std::thread th([&] {
        auto bound = bind_context([&] {
            seen = v.get();
            size = copy_context().size();
        });
        context ctx;
        ctx.run([&] {
            v.set(5);
            bound();
        });
    });
    th.join();
    BOOST_TEST(seen == -1);
    BOOST_TEST(size == 0u);
}

// The binder reports what it holds.
BOOST_AUTO_TEST_CASE(binder_accessors)
{
    isolated([] {
        context_var<int> v("v");
        v.set(1);
        auto implicit = bind_context([] {});
        BOOST_TEST(!cv::detail::binder_access::has_explicit_context(implicit));
        context captured = implicit.get_context();
        BOOST_TEST(*captured.get(v) == 1);

        context ctx;
        ctx.run([&] { v.set(2); });
        auto explicit_ = bind_context(ctx, [] {});
        BOOST_TEST(cv::detail::binder_access::has_explicit_context(explicit_));
        BOOST_TEST(*explicit_.get_context().get(v) == 2);
    });
}

// Issue 11: a bound call runs in a new context, as Python's
// copy_context().run(f): a token made before binding is foreign there.
BOOST_AUTO_TEST_CASE(bound_call_cannot_reset_a_token_made_before)
{
    isolated([] {
        context_var<int> v("v");
        auto t3 = std::make_shared<cv::token<int>>(v.set(3));
        auto f = bind_context([t3, &v] {
            BOOST_TEST(v.get() == 3); // the values are the binder's ...
            v.reset(*t3);             // ... the context is not
        });
        std::string const what = test_support::what_thrown<cv::token_error>(f);
        BOOST_TEST(test_support::contains(what, "different context"), what);
        BOOST_TEST(!t3->used());
        // The same from another thread.
        std::string on_thread;
        std::thread([&] { on_thread = test_support::what_thrown<cv::token_error>(f); }).join();
        BOOST_TEST(test_support::contains(on_thread, "different context"), on_thread);
        v.reset(*t3); // still good where it was made
        BOOST_TEST(v.try_get() == nullptr);
    });
}

// A token made inside one call is that call's: it resets there, but not in
// the next call (each runs in a fresh context), nor in the binder's context.
BOOST_AUTO_TEST_CASE(bound_calls_do_not_share_tokens)
{
    isolated([] {
        context_var<int> v("v");
        std::optional<cv::token<int>> t;
        auto f = bind_context([&] {
            if(!t)
            {
                t.emplace(v.set(1));
                cv::token<int> own = v.set(2);
                v.reset(own); // the call's own token
                BOOST_TEST(v.get() == 1);
            }
            else
            {
                v.reset(*t);
            }
        });
        f();
        BOOST_CHECK_THROW(f(), cv::token_error);
        BOOST_CHECK_THROW(v.reset(*t), cv::token_error);
    });
}

// bind_context(ctx, f) runs f in a copy of ctx (ctx is never modified), where
// Python's ctx.run(f) runs in ctx itself: a token made in ctx is foreign in
// the bound call. The documented difference (python.adoc).
BOOST_AUTO_TEST_CASE(explicit_context_is_copied_so_its_tokens_are_foreign)
{
    isolated([] {
        context_var<int> v("v");
        context ctx;
        auto t = ctx.run([&] { return std::make_shared<cv::token<int>>(v.set(4)); });
        auto f = bind_context(ctx, [&] { v.reset(*t); });
        BOOST_CHECK_THROW(f(), cv::token_error);
        ctx.run([&] { v.reset(*t); });
        BOOST_TEST(!ctx.contains(v));
    });
}

// A binder is invocable exactly when its target is (issue 22): is_invocable
// answers false for a wrong argument instead of failing inside the library,
// so a binder can stand where overloads are chosen by what they can call.
namespace invocable_checks {

inline auto takes_int = [](int) {};
inline auto counts = [n = 0](int) mutable { return ++n; };
struct generic
{
    template<class X>
    void operator()(X, X) const {}
};
using int_binder = decltype(bind_context(takes_int));
using mutable_binder = decltype(bind_context(counts));
using generic_binder = decltype(bind_context(generic{}));

static_assert(!std::is_invocable<int_binder&, std::string>::value, "wrong argument, lvalue binder");
static_assert(!std::is_invocable<int_binder const&, std::string>::value, "wrong argument, const binder");
static_assert(!std::is_invocable<int_binder, std::string>::value, "wrong argument, rvalue binder");
static_assert(!std::is_invocable<int_binder&>::value, "missing argument");
static_assert(std::is_invocable<int_binder&, int>::value, "right argument");
static_assert(std::is_invocable<int_binder, long>::value, "convertible argument");
static_assert(std::is_invocable<mutable_binder&, int>::value, "mutable target, lvalue binder");
static_assert(!std::is_invocable<mutable_binder const&, int>::value, "mutable target, const binder");
static_assert(std::is_same<std::invoke_result_t<mutable_binder&, int>, int>::value, "result type");
static_assert(std::is_invocable<generic_binder&, int, int>::value, "generic target");
static_assert(!std::is_invocable<generic_binder&, int, std::string>::value, "generic target, wrong argument");

// What the checks are for: choosing by callability.
template<class F, typename std::enable_if<std::is_invocable<F&, std::string>::value, int>::type = 0>
int pick(F&) { return 1; }
template<class F, typename std::enable_if<!std::is_invocable<F&, std::string>::value, int>::type = 0>
int pick(F&) { return 2; }

} // namespace invocable_checks

BOOST_AUTO_TEST_CASE(is_invocable_follows_the_target)
{
    auto b = bind_context([](int x) { return x + 1; });
    BOOST_TEST(invocable_checks::pick(b) == 2);
    auto s = bind_context([](std::string const& x) { return x.size(); });
    BOOST_TEST(invocable_checks::pick(s) == 1);
    BOOST_TEST(b(1) == 2);
}
