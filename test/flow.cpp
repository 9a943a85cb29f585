// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// flow.hpp: a flow::none variable stays where it was set (kept across a
// coroutine's own suspensions and pool hops, and by explicit copies; absent
// in the children it spawns, the functions it posts, the callbacks it
// passes, the callables it binds), and suppress_flow gives new work an empty
// context (posts, dispatches, defers, timers, co_spawn, asio::spawn,
// bind_context) without touching a coroutine's own resumption; nested and
// throwing scopes; the misuse of holding a guard across a suspension.
// Built twice (test/Jamfile): on context_executors, and under whole-program
// tracking on plain executors, each on an io_context run by two threads and
// a thread pool.

#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/io.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#define BOOST_TEST_MODULE flow
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using test_support::none;
using test_support::read;
using test_support::var;

namespace {

// Flows as usual (test_support::var, no default) ...
// ... and stays where it is set, with a default that new work sees.
// tag::flow_none_var[]
cv::context_var<int> scratch("scratch", -2, cv::flow::none);
// end::flow_none_var[]
// Stays where it is set, without default.
cv::context_var<std::string> handle("handle", cv::flow::none);

constexpr int scratch_default = -2;

// What new work sees: the flowing var, the local var, and whether the local
// var without default has a value.
struct seen
{
    int flowing = 0;
    int local = 0;
    bool has_handle = false;

    friend bool operator==(seen const& a, seen const& b)
    {
        return a.flowing == b.flowing && a.local == b.local && a.has_handle == b.has_handle;
    }

    friend std::ostream& operator<<(std::ostream& os, seen const& s)
    {
        return os << "{flowing " << s.flowing << ", local " << s.local << ", handle " << s.has_handle << "}";
    }
};

seen look()
{
    return seen{read(), scratch.get(), handle.try_get() != nullptr};
}

// What every piece of new work sees under suppress_flow.
seen const empty{none, scratch_default, false};

// Plain executors under tracking, context_executors without it.
using executor = test_support::mode_io;
using test_support::on;
using timer = asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>,
    executor>;

template<class T>
T wait(std::future<T>& f)
{
    return test_support::wait(f);
}

// Strict-mode reports of one kind, counted.
std::atomic<int> misuse_reports{0};

void count_misuse(cv::strict_report const& r)
{
    if(r.kind == cv::strict_violation::suppress_flow_misuse)
    {
        ++misuse_reports;
    }
}

struct strict_counting
{
    cv::strict_handler previous = cv::set_strict_handler(&count_misuse);
    strict_counting()
    {
        misuse_reports = 0;
    }
    ~strict_counting()
    {
        cv::set_strict_handler(previous);
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(flow, test_support::bg_fixture)

// ---- the policy, without Asio ------------------------------------------------

BOOST_AUTO_TEST_CASE(policy_is_kept)
{
    BOOST_TEST((scratch.flow_policy() == cv::flow::none));
    BOOST_TEST((var.flow_policy() == cv::flow::copy));
    BOOST_TEST(scratch.has_default());
    BOOST_TEST(!handle.has_default());
}

BOOST_AUTO_TEST_CASE(local_values_stay_where_they_are_set)
{
    cv::context ctx;
    ctx.run([] {
        // tag::flow_none[]
        var.set(1);
        cv::token<int> t = scratch.set(2);
        handle.set("h");
        BOOST_TEST(look() == (seen{1, 2, true}));

        // An explicit copy keeps them, and so does running in it.
        cv::context copy = cv::copy_context();
        BOOST_TEST(*copy.get(scratch) == 2);
        BOOST_TEST(*copy.get(handle) == "h");
        BOOST_TEST(copy.size() == 3u);
        BOOST_TEST(cv::to_string(copy) == "{handle=h, scratch=2, var=1}");
        copy.run([] { BOOST_TEST(look() == (seen{1, 2, true})); });

        // New work does not.
        auto bound = cv::bind_context([] { return look(); });
        BOOST_TEST(bound() == (seen{1, scratch_default, false}));
        // end::flow_none[]

        // Both kinds change independently, and reset as usual.
        var.set(3);
        scratch.reset(t);
        BOOST_TEST(look() == (seen{3, scratch_default, true}));
        BOOST_TEST(cv::bind_context([] { return look(); })() == (seen{3, scratch_default, false}));
        BOOST_CHECK_THROW(scratch.reset(t), cv::token_error);
        BOOST_TEST(*copy.get(scratch) == 2); // the copy is its own
    });
    BOOST_TEST(ctx.get(scratch) == nullptr);
    BOOST_TEST(*ctx.get(handle) == "h");
}

BOOST_AUTO_TEST_CASE(a_bound_callable_sees_its_own_local_values)
{
    // A flow::none value set inside the bound call stays in that call's
    // context: the next call starts without it.
    cv::context ctx;
    ctx.run([] {
        auto bound = cv::bind_context([] {
            int before = scratch.get();
            scratch.set(7);
            return before * 100 + scratch.get();
        });
        BOOST_TEST(bound() == scratch_default * 100 + 7);
        BOOST_TEST(bound() == scratch_default * 100 + 7);
        BOOST_TEST(scratch.get() == scratch_default);
    });
}

BOOST_AUTO_TEST_CASE(scoped_set_of_a_local_var)
{
    cv::context ctx;
    ctx.run([] {
        {
            cv::scoped_set<int> s(scratch, 5);
            BOOST_TEST(scratch.get() == 5);
            BOOST_TEST(cv::bind_context([] { return scratch.get(); })() == scratch_default);
        }
        BOOST_TEST(scratch.get() == scratch_default);
        BOOST_TEST(cv::copy_context().size() == 0u);
    });
}

// ---- suppress_flow, without Asio -------------------------------------------------

BOOST_AUTO_TEST_CASE(suppress_flow_nests_and_restores)
{
    cv::context ctx;
    ctx.run([] {
        var.set(1);
        BOOST_TEST(!cv::is_flow_suppressed());
        // tag::suppress_flow[]
        {
            cv::suppress_flow outer;
            BOOST_TEST(cv::is_flow_suppressed());
            BOOST_TEST(cv::bind_context([] { return look(); })() == empty);
            {
                cv::suppress_flow inner;
                BOOST_TEST(cv::bind_context([] { return look(); })() == empty);
            }
            BOOST_TEST(cv::is_flow_suppressed());
            BOOST_TEST(cv::bind_context([] { return look(); })() == empty);
            // Explicit copies are not affected, nor is the context itself.
            BOOST_TEST(*cv::copy_context().get(var) == 1);
            BOOST_TEST(read() == 1);
        }
        BOOST_TEST(!cv::is_flow_suppressed());
        // end::suppress_flow[]
        BOOST_TEST(cv::bind_context([] { return read(); })() == 1);
        try
        {
            cv::suppress_flow guard;
            throw std::runtime_error("unwinding");
        }
        catch(std::runtime_error const&)
        {
        }
        BOOST_TEST(!cv::is_flow_suppressed());
        BOOST_TEST(cv::bind_context([] { return read(); })() == 1);
    });
}

BOOST_AUTO_TEST_CASE(suppress_flow_belongs_to_its_context)
{
    cv::context ctx;
    ctx.run([] {
        var.set(1);
        cv::suppress_flow guard;
        // Code running in another context inside the guard's scope is not
        // suppressed: the flow suppressed is that of one context.
        cv::context other = cv::copy_context();
        other.run([] {
            BOOST_TEST(!cv::is_flow_suppressed());
            BOOST_TEST(cv::bind_context([] { return read(); })() == 1);
        });
        BOOST_TEST(cv::is_flow_suppressed());
    });
    // A guard the run leaked stops when the run ends.
    std::unique_ptr<cv::suppress_flow> leaked;
    ctx.run([&] { leaked = std::make_unique<cv::suppress_flow>(); });
    ctx.run([] { BOOST_TEST(!cv::is_flow_suppressed()); });
    strict_counting strict;
    leaked.reset();
    BOOST_TEST(misuse_reports == 1);
}

BOOST_AUTO_TEST_CASE(out_of_order_destruction_is_reported)
{
    strict_counting strict;
    cv::context ctx;
    ctx.run([] {
        auto first = std::make_unique<cv::suppress_flow>();
        auto second = std::make_unique<cv::suppress_flow>();
        first.reset();
        BOOST_TEST(misuse_reports == 1);
        BOOST_TEST(cv::is_flow_suppressed());
        second.reset();
    });
}

// ---- Asio: new work under suppress_flow ------------------------------------------

BOOST_AUTO_TEST_CASE(new_work_under_suppress_flow_starts_empty)
{
    asio::thread_pool pool(2);
    test_support::io_threads threads(2);
    asio::io_context& io = threads.io;
    cv::context ctx;
    std::vector<std::future<seen>> results;
    auto record = [&] {
        auto p = std::make_shared<std::promise<seen>>();
        results.push_back(p->get_future());
        return [p](auto&&...) { p->set_value(look()); };
    };
    timer t(on(io), std::chrono::milliseconds(1));
    std::future<seen> control;
    ctx.run([&] {
        var.set(1);
        scratch.set(2);
        cv::suppress_flow guard;
        asio::post(on(io), record());
        asio::dispatch(on(io), record());
        asio::defer(on(io), record());
        asio::post(on(pool), record());
        t.async_wait(record());
        auto p = std::make_shared<std::promise<seen>>();
        results.push_back(p->get_future());
        asio::co_spawn(on(pool), [p]() -> asio::awaitable<void> {
            p->set_value(look());
            co_return;
        }, asio::detached);
        asio::post(on(io), cv::bind_context(record()));
        auto q = std::make_shared<std::promise<seen>>();
        results.push_back(q->get_future());
        asio::spawn(on(io), [q](asio::basic_yield_context<executor>) { q->set_value(look()); }, asio::detached);
        // A bound callable made under the guard is bound to nothing.
        auto late = std::make_shared<std::promise<seen>>();
        results.push_back(late->get_future());
        auto bound = cv::bind_context([late] { late->set_value(look()); });
        asio::post(on(io), [bound]() mutable { bound(); });
    });
    // And after it, everything flows again.
    ctx.run([&] {
        BOOST_TEST(!cv::is_flow_suppressed());
        auto p = std::make_shared<std::promise<seen>>();
        control = p->get_future();
        asio::post(on(io), [p] { p->set_value(look()); });
    });
    for(auto& f: results)
    {
        BOOST_TEST(wait(f) == empty);
    }
    BOOST_TEST(wait(control) == (seen{1, scratch_default, false}));
}

// A coroutine that suppresses the flow for the work it starts: its children
// start empty, its own resumptions keep its values.
asio::awaitable<seen> suppressing(executor home, asio::thread_pool& pool, std::promise<seen>& child_saw,
    std::promise<seen>& posted_saw, std::promise<seen>& after_saw)
{
    // tag::suppress_flow_coroutine[]
    var.set(10);
    scratch.set(11);
    {
        cv::suppress_flow guard;
        asio::co_spawn(on(pool), [&child_saw]() -> asio::awaitable<void> {
            child_saw.set_value(look());
            co_return;
        }, asio::detached);
        asio::post(on(pool), [&posted_saw] { posted_saw.set_value(look()); });
        co_await asio::post(asio::bind_executor(on(pool), asio::use_awaitable));
        BG_CHECK(look() == (seen{10, 11, false}));
        // end::suppress_flow_coroutine[]
        co_await asio::post(asio::bind_executor(home, asio::use_awaitable));
        // Held across a suspension: it stopped suppressing when its step
        // ended (its destruction below is reported).
        BG_CHECK(!cv::is_flow_suppressed());
        asio::post(on(pool), [&after_saw] { after_saw.set_value(look()); });
    }
    co_return look();
}

BOOST_AUTO_TEST_CASE(a_coroutine_resumes_with_its_own_values)
{
    strict_counting strict;
    asio::thread_pool pool(2);
    test_support::io_threads threads(2);
    asio::io_context& io = threads.io;
    std::promise<seen> child_saw, posted_saw, after_saw;
    std::future<seen> child = child_saw.get_future(), posted = posted_saw.get_future(),
        after = after_saw.get_future();
    std::future<seen> own = asio::co_spawn(on(io), suppressing(on(io), pool, child_saw, posted_saw, after_saw),
        asio::use_future);
    BOOST_TEST(wait(own) == (seen{10, 11, false}));
    BOOST_TEST(wait(child) == empty);
    BOOST_TEST(wait(posted) == empty);
    BOOST_TEST(wait(after) == (seen{10, scratch_default, false}));
    BOOST_TEST(misuse_reports == 1);
}

// ---- Asio: a flow::none variable in a coroutine ------------------------------------

// The hops back to `home` name its executor: with context_executor behind
// any_io_executor, a coroutine resumed by post(use_awaitable) runs as a new
// context (propagation.adoc, "context_executor").
asio::awaitable<seen> local_owner(executor home, asio::thread_pool& pool, std::promise<seen>& child_saw,
    std::promise<seen>& posted_saw, std::promise<seen>& callback_saw, std::promise<seen>& bound_callback_saw)
{
    var.set(20);
    scratch.set(21);
    handle.set("mine");
    for(int i = 0; i != 5; ++i)
    {
        co_await asio::post(asio::bind_executor(on(pool), asio::use_awaitable));
        BG_CHECK(look() == (seen{20, 21, true}));
        co_await asio::post(asio::bind_executor(home, asio::use_awaitable));
        BG_CHECK(look() == (seen{20, 21, true}));
    }
    cv::context copy = cv::copy_context();
    BG_CHECK(copy.get(scratch) != nullptr);
    int value = co_await asio::co_spawn(on(pool), [&child_saw]() -> asio::awaitable<int> {
        child_saw.set_value(look());
        scratch.set(99); // the child's own
        co_return 1;
    }, asio::use_awaitable);
    BG_CHECK(value == 1);
    asio::post(on(pool), [&posted_saw] { posted_saw.set_value(look()); });
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
    t.async_wait([&callback_saw](boost::system::error_code) { callback_saw.set_value(look()); });
    asio::steady_timer bound_t(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
    bound_t.async_wait(cv::bind_context([&bound_callback_saw](boost::system::error_code) {
        bound_callback_saw.set_value(look());
    }));
    asio::steady_timer t2(co_await asio::this_coro::executor, std::chrono::milliseconds(5));
    co_await t2.async_wait(asio::use_awaitable);
    co_return look();
}

BOOST_AUTO_TEST_CASE(a_local_value_stays_in_its_coroutine)
{
    asio::thread_pool pool(2);
    test_support::io_threads threads(2);
    asio::io_context& io = threads.io;
    std::promise<seen> child_saw, posted_saw, callback_saw, bound_callback_saw;
    std::future<seen> child = child_saw.get_future(), posted = posted_saw.get_future(),
        callback = callback_saw.get_future(), bound_callback = bound_callback_saw.get_future();
    std::future<seen> own = asio::co_spawn(on(io),
        local_owner(on(io), pool, child_saw, posted_saw, callback_saw, bound_callback_saw), asio::use_future);
    seen const new_work{20, scratch_default, false};
    BOOST_TEST(wait(own) == (seen{20, 21, true}));
    BOOST_TEST(wait(child) == new_work);
    BOOST_TEST(wait(posted) == new_work);
    BOOST_TEST(wait(bound_callback) == new_work);
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
    BOOST_TEST(wait(callback) == new_work);
#else
    // context_executor pins a completion before Asio says what the handler
    // is: in a coroutine's step it may be the coroutine's resumption, so a
    // callback passed from there keeps everything (flow.adoc); bound, above,
    // it is new work.
    BOOST_TEST(wait(callback) == (seen{20, 21, true}));
#endif
}

BOOST_AUTO_TEST_SUITE_END()
