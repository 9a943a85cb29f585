// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The C++17 code shown in the documentation, compiled and run. Each
// `tag::name[]` ... `end::name[]` region is included by a page of doc/ with
// `include::../../test/doc_snippets.cpp[tag=name,indent=0]`; each test case
// runs one snippet and checks that it does what the text says. Edit a snippet
// here, never in the .adoc files. The C++20 snippets are in
// doc_snippets_coro.cpp.

// tag::include[]
#include <boost/contextvars.hpp>      // the core: context_var, token, scoped_set, context
#include <boost/contextvars/asio.hpp> // context_executor, bind_context as a completion token

namespace cv = boost::contextvars;
namespace asio = boost::asio;
// end::include[]

#define BOOST_TEST_MODULE doc_snippets
#include <boost/test/unit_test.hpp>

#include "locked_check.hpp"

#include <boost/asio.hpp>
#include <boost/asio/spawn.hpp>
#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

// Runs `f` in a fresh, empty context, so that no snippet sees another's values.
template<class F>
void isolated(F&& f)
{
    cv::context ctx;
    ctx.run(std::forward<F>(f));
}

// Runs `io` on this thread and one more.
void run_on_two_threads(asio::io_context& io)
{
    std::thread t([&] { io.run(); });
    io.run();
    t.join();
}

} // namespace

// ---------------------------------------------------------------------------
// Tutorial

// tag::declare[]
// A variable is an identity, a type and an optional default. Define it once,
// at namespace scope; its values live in contexts, not in the variable.
cv::context_var<std::string> user("user");    // no default
cv::context_var<int> verbosity("verbosity", 1); // default: 1
// end::declare[]

cv::context_var<int> request_id("request_id", 0);

BOOST_AUTO_TEST_CASE(tutorial_get)
{
    isolated([] {
        // tag::get[]
        BOOST_TEST(verbosity.get() == 1);          // no value yet: the default
        BOOST_TEST(verbosity.get(5) == 5);         // an explicit fallback wins over the default
        BOOST_TEST(user.try_get() == nullptr);     // neither value nor default
        BOOST_TEST(user.get("nobody") == "nobody");
        BOOST_CHECK_THROW(user.get(), cv::lookup_error);

        user.set("alice");
        std::string const& name = user.get();      // valid while this context holds "alice"
        BOOST_TEST(name == "alice");
        BOOST_TEST(*user.try_get() == "alice");
        // end::get[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_tokens)
{
    isolated([] {
        // tag::tokens[]
        cv::token<int> t1 = verbosity.set(2);      // verbosity had no value: old_value() is null
        cv::token<int> t2 = verbosity.set(3);
        BOOST_TEST(*t2.old_value() == 2);
        BOOST_TEST(&t2.var() == &verbosity);

        verbosity.reset(t2);                       // back to 2
        BOOST_TEST(verbosity.get() == 2);
        verbosity.reset(t1);                       // no value again: get() gives the default
        BOOST_TEST(verbosity.get() == 1);
        BOOST_TEST(cv::copy_context().contains(verbosity) == false);

        BOOST_CHECK_THROW(verbosity.reset(t1), cv::token_error); // a token is used once
        // end::tokens[]
        BOOST_TEST(t1.used());
    });
}

BOOST_AUTO_TEST_CASE(tutorial_scoped_set)
{
    isolated([] {
        // tag::scoped_set[]
        verbosity.set(1);
        {
            cv::scoped_set guard(verbosity, 3);    // set() now ...
            BOOST_TEST(verbosity.get() == 3);
            {
                cv::scoped_set inner(verbosity, 4);
                BOOST_TEST(verbosity.get() == 4);
            }
            BOOST_TEST(verbosity.get() == 3);
        }                                          // ... reset() at the end of the scope
        BOOST_TEST(verbosity.get() == 1);
        // end::scoped_set[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_scoped_set_elsewhere)
{
    isolated([] {
        // tag::scoped_set_elsewhere[]
        cv::context other;
        std::optional<cv::scoped_set<int>> guard;
        other.run([&] { guard.emplace(verbosity, 7); }); // set in `other`
        guard.reset();                             // destroyed here, where `other` is not current:
                                                   // nothing happens, and nothing throws
        BOOST_TEST(*other.get(verbosity) == 7);    // the value stays where it was set
        BOOST_TEST(verbosity.get() == 1);          // and never reached this context
        // end::scoped_set_elsewhere[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_contexts)
{
    isolated([] {
        // tag::contexts[]
        user.set("alice");
        cv::context ctx = cv::copy_context();      // a snapshot: O(1), shares the values

        int n = ctx.run([] {                       // ctx itself becomes current
            BOOST_TEST(user.get() == "alice");
            user.set("bob");                       // changes ctx, not the caller's context
            return 42;
        });
        BOOST_TEST(n == 42);                       // run() returns what the function returns
        BOOST_TEST(user.get() == "alice");         // the caller's context is unchanged
        BOOST_TEST(*ctx.get(user) == "bob");       // ctx keeps the change

        ctx.run([] { BOOST_TEST(user.get() == "bob"); }); // and sees it when run again
        // end::contexts[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_mapping)
{
    isolated([] {
        // tag::mapping[]
        user.set("alice");
        cv::context ctx = cv::copy_context();
        BOOST_TEST(ctx.size() == 1);
        BOOST_TEST(ctx.contains(user));
        BOOST_TEST(*ctx.get(user) == "alice");
        BOOST_TEST(ctx.get(verbosity) == nullptr); // defaults are not in the mapping

        for(cv::context::entry const& e: ctx)      // entries in no particular order
        {
            BOOST_TEST(e.name() == "user");
            if(std::string const* value = e.get(user)) // typed access through the variable
            {
                BOOST_TEST(*value == "alice");
            }
        }
        // end::mapping[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_run_errors)
{
    isolated([] {
        // tag::run_errors[]
        cv::context ctx;
        ctx.run([&] {
            BOOST_CHECK_THROW(ctx.run([] {}), cv::context_error); // already entered
            cv::context other;
            other.run([] { verbosity.set(9); });   // nested runs of different contexts are fine
        });

        try
        {
            ctx.run([] {
                verbosity.set(2);
                throw std::runtime_error("failed");
            });
        }
        catch(std::runtime_error const&)
        {
        }
        BOOST_TEST(verbosity.get() == 1);          // the previous context is current again
        BOOST_TEST(*ctx.get(verbosity) == 2);      // and ctx keeps what was set before the throw
        // end::run_errors[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_identity)
{
    isolated([] {
        // tag::identity[]
        cv::context a;
        cv::token<int> t = a.run([] { return verbosity.set(5); });

        cv::context copy = a;                      // a copy is a new context ...
        copy.run([&] { BOOST_CHECK_THROW(verbosity.reset(t), cv::token_error); });

        cv::context moved = std::move(a);          // ... a moved-to one is the same context
        moved.run([&] { verbosity.reset(t); });
        BOOST_TEST(moved.contains(verbosity) == false);
        BOOST_TEST(a.empty());                     // moved-from: valid and empty
        // end::identity[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_assign_entered)
{
    isolated([] {
        // tag::assign_entered[]
        cv::context ctx;
        cv::context other = cv::copy_context();
        ctx.run([&] {
            verbosity.set(3);
            BOOST_CHECK_THROW(ctx = other, cv::context_error);     // assigning to an entered context
            other = std::move(ctx);                // moving out of one copies it ...
            BOOST_TEST(verbosity.get() == 3);      // ... and ctx keeps its values
        });
        BOOST_TEST(*other.get(verbosity) == 3);    // other is a copy (a new context)
        ctx = other;                               // fine once it is no longer entered
        // end::assign_entered[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_threads)
{
    isolated([] {
        // tag::threads[]
        user.set("alice");

        std::thread([] {                           // every thread starts with an empty context
            BOOST_TEST(user.try_get() == nullptr);
        }).join();

        std::thread(cv::bind_context([] {          // bind_context(f) carries a copy along
            BOOST_TEST(user.get() == "alice");
            user.set("bob");                       // changes the copy only
        })).join();

        BOOST_TEST(user.get() == "alice");
        // end::threads[]
    });
}

BOOST_AUTO_TEST_CASE(tutorial_bind_context_calls)
{
    isolated([] {
        // tag::bind_context_calls[]
        verbosity.set(2);
        auto f = cv::bind_context([] {
            int seen = verbosity.get();
            verbosity.set(seen + 1);               // lost when the call returns
            return seen;
        });
        verbosity.set(3);                          // too late: f captured 2
        BOOST_TEST(f() == 2);
        BOOST_TEST(f() == 2);                      // each call starts from the same snapshot
        BOOST_TEST(verbosity.get() == 3);
        // end::bind_context_calls[]
    });
}

// ---------------------------------------------------------------------------
// Asio guide (C++17 parts)

BOOST_AUTO_TEST_CASE(asio_submission)
{
    isolated([] {
        // tag::asio_submission[]
        asio::io_context io;
        cv::context_executor ex(io);               // context_executor<io_context::executor_type>

        request_id.set(1);
        asio::post(ex, [] { BOOST_TEST(request_id.get() == 1); request_id.set(100); });
        request_id.set(2);
        asio::defer(ex, [] { BOOST_TEST(request_id.get() == 2); });
        request_id.set(3);
        asio::dispatch(ex, [] { BOOST_TEST(request_id.get() == 3); }); // queued: not inside run()

        io.run();
        BOOST_TEST(request_id.get() == 3);         // nothing leaked back from the handlers
        // end::asio_submission[]
    });
}

BOOST_AUTO_TEST_CASE(asio_initiation)
{
    isolated([] {
        bool ran = false;
        // tag::asio_initiation[]
        asio::io_context io;
        cv::context_executor ex(io);
        asio::steady_timer timer(ex, 1ms);         // the I/O object runs its handlers through ex

        request_id.set(7);
        timer.async_wait([&](error_code) {
            BOOST_TEST(request_id.get() == 7);     // the context when async_wait was called
            ran = true;
        });
        request_id.set(8);                         // later changes are not seen

        io.run();
        // end::asio_initiation[]
        BOOST_TEST(ran);
    });
}

BOOST_AUTO_TEST_CASE(asio_bind_executor)
{
    isolated([] {
        bool ran = false;
        // tag::asio_bind_executor[]
        asio::io_context io;
        asio::steady_timer timer(io, 1ms);         // a plain executor

        request_id.set(7);
        timer.async_wait(asio::bind_executor(cv::context_executor(io), [&](error_code) {
            BOOST_TEST(request_id.get() == 7);     // captured at initiation, as above
            ran = true;
        }));
        request_id.set(8);
        io.run();
        // end::asio_bind_executor[]
        BOOST_TEST(ran);
    });
}

BOOST_AUTO_TEST_CASE(asio_bind_context)
{
    isolated([] {
        int ran = 0;
        // tag::asio_bind_context[]
        asio::io_context io;
        asio::steady_timer timer(io, 1ms);         // a plain executor

        request_id.set(7);
        timer.async_wait(cv::bind_context([&](error_code) {
            BOOST_TEST(request_id.get() == 7);     // the context at async_wait
            ++ran;
        }));
        request_id.set(8);
        io.run();
        // end::asio_bind_context[]
        BOOST_TEST(ran == 1);
    });
}

BOOST_AUTO_TEST_CASE(asio_bind_context_deferred)
{
    isolated([] {
        int ran = 0;
        // tag::asio_bind_context_deferred[]
        asio::io_context io;
        asio::steady_timer timer(io, 1ms);

        request_id.set(1);
        auto op = timer.async_wait(cv::bind_context(asio::deferred)); // nothing is captured yet
        request_id.set(2);
        std::move(op)([&](error_code) {            // launched now: this is the initiation
            BOOST_TEST(request_id.get() == 2);
            ++ran;
        });
        request_id.set(3);
        io.run();
        // end::asio_bind_context_deferred[]
        BOOST_TEST(ran == 1);
    });
}

BOOST_AUTO_TEST_CASE(asio_bind_context_explicit)
{
    isolated([] {
        std::atomic<int> ran{0};
        // tag::asio_bind_context_explicit[]
        cv::context ctx;
        ctx.run([] { request_id.set(42); });

        asio::thread_pool pool(2);
        for(int i = 0; i < 4; ++i)
        {
            asio::post(pool, cv::bind_context(ctx, [&] {
                CHECK(request_id.get() == 42);      // a copy of ctx's values ...
                request_id.set(43);                // ... that no other handler sees
                ++ran;
            }));
        }
        pool.join();
        BOOST_TEST(*ctx.get(request_id) == 42);    // ctx itself is never modified
        // end::asio_bind_context_explicit[]
        BOOST_TEST(ran == 4);
    });
}

BOOST_AUTO_TEST_CASE(asio_use_future)
{
    isolated([] {
        // tag::asio_use_future[]
        asio::thread_pool pool(1);
        asio::steady_timer timer(pool, 1ms);

        request_id.set(5);
        std::future<int> seen = asio::post(pool,   // a completion token inside bind_context
            cv::bind_context(asio::use_future([] { return request_id.get(); })));
        std::future<void> waited = timer.async_wait(cv::bind_context(asio::use_future));
        request_id.set(6);

        BOOST_TEST(seen.get() == 5);
        waited.get();
        pool.join();
        // end::asio_use_future[]
    });
}

BOOST_AUTO_TEST_CASE(asio_strand)
{
    isolated([] {
        std::atomic<int> ran{0};
        // tag::asio_strand[]
        asio::io_context io;
        cv::context_executor<asio::strand<asio::io_context::executor_type>> ex(asio::make_strand(io));

        for(int i = 1; i <= 100; ++i)
        {
            request_id.set(i);
            asio::post(ex, [&, i] {                // serialised by the strand, and each
                BOOST_TEST(request_id.get() == i); // in the context of its own post
                ++ran;
            });
        }
        run_on_two_threads(io);
        // end::asio_strand[]
        BOOST_TEST(ran == 100);
    });
}

BOOST_AUTO_TEST_CASE(asio_thread_pool)
{
    isolated([] {
        std::atomic<int> ran{0};
        // tag::asio_thread_pool[]
        asio::thread_pool pool(2);
        asio::any_io_executor ex = cv::context_executor(pool); // fits any_io_executor's buffer

        for(int i = 1; i <= 100; ++i)
        {
            request_id.set(i);
            auto timer = std::make_shared<asio::steady_timer>(ex, 1ms);
            timer->async_wait([&, i, timer](error_code) {
                CHECK(request_id.get() == i);      // whichever thread runs it
                ++ran;
            });
        }
        pool.join();
        // end::asio_thread_pool[]
        BOOST_TEST(ran == 100);
    });
}

// tag::asio_sizes[]
// any_io_executor (Boost 1.81) stores a target of up to 3 pointers in place.
static_assert(sizeof(cv::context_executor<asio::io_context::executor_type>) <= 3 * sizeof(void*));
static_assert(sizeof(cv::context_executor<asio::thread_pool::executor_type>) <= 3 * sizeof(void*));
// A strand is already 3 pointers: storing this one in an any_io_executor allocates.
static_assert(sizeof(cv::context_executor<asio::strand<asio::io_context::executor_type>>) >
              3 * sizeof(void*));
// end::asio_sizes[]

BOOST_AUTO_TEST_CASE(asio_spawn)
{
    isolated([] {
        int ran = 0;
        // tag::asio_spawn[]
        asio::io_context io;
        cv::context_executor ex(io);

        request_id.set(1);
        asio::spawn(ex, [](asio::yield_context yield) {
            BOOST_TEST(request_id.get() == 1);     // a copy of the context at spawn
            request_id.set(2);
            asio::steady_timer timer(yield.get_executor(), 1ms);
            timer.async_wait(yield);
            BOOST_TEST(request_id.get() == 2);     // its own sets survive every suspension
        }, [&](std::exception_ptr e) {
            BOOST_TEST(!e);
            BOOST_TEST(request_id.get() == 1);     // the completion: the context at spawn
            ++ran;
        });
        request_id.set(3);
        io.run();
        // end::asio_spawn[]
        BOOST_TEST(ran == 1);
    });
}

BOOST_AUTO_TEST_CASE(asio_cancellation)
{
    isolated([] {
        int ran = 0;
        // tag::asio_cancellation[]
        asio::io_context io;
        cv::context_executor ex(io);
        asio::steady_timer timer(ex, 1h);
        asio::cancellation_signal signal;

        request_id.set(1);
        timer.async_wait(asio::bind_cancellation_slot(signal.slot(), [&](error_code ec) {
            BOOST_TEST(ec == asio::error::operation_aborted);
            BOOST_TEST(request_id.get() == 1);     // the context at async_wait
            ++ran;
        }));

        request_id.set(2);
        asio::post(ex, [&] {                       // emit() calls the slot's handler at once,
            signal.emit(asio::cancellation_type::terminal); // in the context current here (2)
        });
        io.run();
        // end::asio_cancellation[]
        BOOST_TEST(ran == 1);
    });
}

BOOST_AUTO_TEST_CASE(asio_cancellation_handler_context)
{
    isolated([] {
        // tag::asio_cancellation_handler[]
        asio::cancellation_signal signal;
        request_id.set(1);
        int seen = 0;
        signal.slot().assign([&](asio::cancellation_type) { seen = request_id.get(); });
        request_id.set(2);
        signal.emit(asio::cancellation_type::terminal);
        BOOST_TEST(seen == 2);                     // the caller of emit()'s context
        // end::asio_cancellation_handler[]
    });
}

BOOST_AUTO_TEST_CASE(asio_exceptions)
{
    isolated([] {
        // tag::asio_exceptions[]
        asio::io_context io;
        cv::context_executor ex(io);

        request_id.set(1);
        asio::post(ex, [] {
            request_id.set(2);
            throw std::runtime_error("handler failed");
        });
        BOOST_CHECK_THROW(io.run(), std::runtime_error);
        BOOST_TEST(request_id.get() == 1);         // the thread's context is as before
        // end::asio_exceptions[]
    });
}

// ---------------------------------------------------------------------------
// Reference: the noexcept specifications the reference states, checked
// against the headers.

BOOST_AUTO_TEST_CASE(reference_noexcept)
{
    cv::context_var<int> const& v = verbosity;
    cv::context c;
    cv::token<int> t;
    auto noop = [] {};
    static_assert(noexcept(v.name()));
    static_assert(noexcept(v.has_default()));
    static_assert(!noexcept(v.get()));
    static_assert(!noexcept(v.get(1)));
    static_assert(noexcept(v.try_get()));
    static_assert(!noexcept(v.set(1)));
    static_assert(!noexcept(v.reset(t)));

    static_assert(std::is_nothrow_default_constructible<cv::token<int>>::value);
    static_assert(std::is_nothrow_move_constructible<cv::token<int>>::value);
    static_assert(std::is_nothrow_move_assignable<cv::token<int>>::value);
    static_assert(!std::is_copy_constructible<cv::token<int>>::value);
    static_assert(!noexcept(t.var()));
    static_assert(noexcept(t.old_value()));
    static_assert(noexcept(t.used()));
    static_assert(noexcept(static_cast<bool>(t)));
    static_assert(noexcept(t.swap(t)));

    static_assert(!std::is_copy_constructible<cv::context_var<int>>::value);
    static_assert(!std::is_copy_constructible<cv::scoped_set<int>>::value);
    static_assert(std::is_nothrow_destructible<cv::scoped_set<int>>::value);

    static_assert(std::is_nothrow_default_constructible<cv::context>::value);
    static_assert(std::is_nothrow_copy_constructible<cv::context>::value);
    static_assert(std::is_nothrow_move_constructible<cv::context>::value);
    static_assert(!std::is_nothrow_copy_assignable<cv::context>::value);
    static_assert(std::is_nothrow_move_assignable<cv::context>::value);
    static_assert(noexcept(c.size()));
    static_assert(noexcept(c.empty()));
    static_assert(noexcept(c.contains(v)));
    static_assert(noexcept(c.get(v)));
    static_assert(!noexcept(c.begin()));
    static_assert(noexcept(c.end()));
    static_assert(noexcept(cv::copy_context()));
    static_assert(!noexcept(c.run(noop)));

    cv::context::iterator it;
    static_assert(noexcept(*it));
    static_assert(noexcept(++it));
    static_assert(noexcept(it++));
    static_assert(noexcept(it == it));
    static_assert(noexcept(it->name()));
    static_assert(noexcept(it->is(v)));
    static_assert(noexcept(it->get(v)));

    auto b = cv::bind_context(noop);
    static_assert(!noexcept(cv::bind_context(noop)));
    static_assert(!noexcept(cv::bind_context(c, noop)));
    static_assert(noexcept(b.get()));
    static_assert(noexcept(b.get_context()));
    static_assert(noexcept(cv::detail::binder_access::has_explicit_context(b)));

    using io_ex = asio::io_context::executor_type;
    asio::io_context io;
    cv::context_executor<io_ex> e(io.get_executor());
    static_assert(std::is_nothrow_constructible<cv::context_executor<io_ex>, io_ex const&>::value);
    static_assert(!std::is_nothrow_constructible<cv::context_executor<io_ex>, asio::io_context&>::value);
    static_assert(noexcept(e.get_inner_executor()));
    static_assert(noexcept(e.is_pinned()));
    static_assert(noexcept(e == e));
    static_assert(noexcept(e != e));
    static_assert(noexcept(asio::query(e, asio::execution::context)));
    static_assert(!noexcept(e.execute(noop)));
    BOOST_TEST(!e.is_pinned());
}

// The pinning rules of context_executor, as the reference states them.
BOOST_AUTO_TEST_CASE(reference_pinning)
{
    isolated([] {
        namespace ex = asio::execution;
        asio::io_context io;
        cv::context_executor e(io);
        BOOST_TEST(!e.is_pinned());
        int seen = 0;
        {
            request_id.set(1);
            auto tracked = asio::prefer(e, ex::outstanding_work.tracked);
            BOOST_TEST(tracked.is_pinned());
            BOOST_TEST(asio::prefer(tracked, ex::relationship.continuation).is_pinned());
            BOOST_TEST(asio::require(tracked, ex::blocking.possibly).is_pinned());
            BOOST_TEST(asio::require(tracked, ex::blocking.never).is_pinned());
            BOOST_TEST(!asio::prefer(tracked, ex::outstanding_work.untracked).is_pinned());
            BOOST_TEST((asio::prefer(e, ex::outstanding_work.tracked) == tracked)); // same values
            auto copy = tracked;
            BOOST_TEST((copy == tracked));         // same inner executor, same pinned snapshot
            request_id.set(5);
            BOOST_TEST(!(asio::prefer(e, ex::outstanding_work.tracked) == tracked));

            asio::any_io_executor any = e;         // through any_io_executor: prefer_only
            auto any_tracked = asio::prefer(any, ex::outstanding_work.tracked);
            using tracked_io = decltype(asio::prefer(io.get_executor(), ex::outstanding_work.tracked));
            auto const* target = any_tracked.target<cv::context_executor<tracked_io>>();
            BOOST_TEST_REQUIRE(target != nullptr);
            BOOST_TEST(target->is_pinned());

            request_id.set(2);
            tracked.execute([&] { seen = request_id.get(); });
        } // the tracked executors count as outstanding work: drop them before run()
        io.run();
        BOOST_TEST(seen == 1);                     // the pinned context, not the current one
    });
}
