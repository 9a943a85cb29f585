// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Misuse across threads: the cases of the misuse list that the single-thread
// tests do not reach. Each throws a typed exception whose message names the
// var (token_error, lookup_error) or the operation (context_error: a context
// is not about one var), and leaves every context as it was.
//
// Where each misuse of the list is tested:
//   reset with a used token ........... token.cpp reset_with_used_token_throws,
//                                        used_is_checked_before_other_var; fuzz_model
//   token from another var ............ token.cpp reset_with_other_vars_token_throws; fuzz_model
//   token from another context ........ token.cpp reset_in_other_context_throws,
//                                        reset_in_copy_of_context_throws; fuzz_model;
//                                        here: from another thread, on a thread with no context
//   empty / moved-from token .......... token.cpp empty_and_moved_from_tokens; fuzz_model
//   running an entered context ........ same thread: context.cpp test_context_run_7,
//                                        test_context_manager_is_not_reentrant; fuzz_model;
//                                        another thread: context.cpp
//                                        run_entered_context_from_other_thread_throws; here
//                                        with the message and the assignment/move variants
//   get() without value or default .... context_var.cpp get_without_value_or_default_throws_lookup_error;
//                                        fuzz_model; here: on a thread with no context at all
//   guard destroyed in a foreign context scoped_set.cpp destroyed_in_other_context; fuzz_model;
//                                        exception_safety_asio.cpp (coroutine frames);
//                                        here: destroyed on another thread

#include <boost/contextvars.hpp>

#define BOOST_TEST_MODULE misuse
#include <boost/test/unit_test.hpp>

#include <future>
#include <optional>
#include <string>
#include <thread>

#include "core_test_support.hpp"

namespace cv = boost::contextvars;
using cv::context;
using cv::context_error;
using cv::context_var;
using cv::lookup_error;
using cv::scoped_set;
using cv::token;
using cv::token_error;
using test_support::contains, test_support::what_thrown;

namespace {

// Runs f on a new thread and waits for it.
template<class F>
void on_new_thread(F f)
{
    std::thread t(std::move(f));
    t.join();
}

} // namespace

BOOST_AUTO_TEST_CASE(token_from_another_threads_context)
{
    context_var<int> v("cross_thread_var", 0);
    std::promise<token<int>> made;
    std::promise<void> reset_done;
    std::string message;
    std::thread owner([&] {
        made.set_value(v.set(1)); // in the owner thread's base context
        reset_done.get_future().wait();
    });
    token<int> t = made.get_future().get();
    context ctx;
    ctx.run([&] {
        message = what_thrown<token_error>([&] { v.reset(t); });
        BOOST_TEST(v.get() == 0);
        BOOST_TEST(ctx.empty());
    });
    BOOST_TEST(contains(message, "'cross_thread_var'"));
    BOOST_TEST(contains(message, "different context"));
    BOOST_TEST(!t.used());
    reset_done.set_value();
    owner.join();
}

BOOST_AUTO_TEST_CASE(reset_and_get_on_a_thread_without_any_context)
{
    context_var<int> v("lonely_var");
    context_var<int> d("defaulted_var", 42);
    context ctx;
    token<int> t = ctx.run([&] { return v.set(1); });
    on_new_thread([&] {
        // Nothing was ever set or entered on this thread: no current context.
        BOOST_TEST(v.try_get() == nullptr);
        BOOST_TEST(d.get() == 42);
        BOOST_TEST(v.get(7) == 7);
        BOOST_TEST(contains(what_thrown<lookup_error>([&] { (void)v.get(); }), "'lonely_var'"));
        std::string const what = what_thrown<token_error>([&] { v.reset(t); });
        BOOST_TEST(contains(what, "'lonely_var'"));
        BOOST_TEST(contains(what, "different context"));
        BOOST_TEST(cv::copy_context().empty()); // the failures created nothing
    });
    BOOST_TEST(!t.used());
    ctx.run([&] { v.reset(t); });
    BOOST_TEST(ctx.empty());
}

BOOST_AUTO_TEST_CASE(entering_moving_or_assigning_a_context_entered_on_another_thread)
{
    context_var<int> v("entered_var");
    context ctx;
    std::promise<void> entered;
    std::promise<void> release;
    std::thread holder([&] {
        ctx.run([&] {
            v.set(1);
            entered.set_value();
            release.get_future().wait();
            BOOST_TEST(v.get() == 1); // the holder's context is untouched by the failures
        });
    });
    entered.get_future().wait();
    int failures = 0;
    std::string message;
    on_new_thread([&] {
        context mine;
        mine.run([&] {
            auto t = v.set(2);
            try
            {
                ctx.run([] {});
            }
            catch(context_error const& e)
            {
                ++failures;
                message = e.what();
            }
            BOOST_TEST(v.get() == 2); // still in `mine`
            // Moving out of it copies (moves are noexcept): the new context
            // holds the values under a new identity, and ctx keeps its own.
            context stolen(std::move(ctx));
            BOOST_TEST(*stolen.get(v) == 1);
            context other;
            try
            {
                ctx = other;
            }
            catch(context_error const&)
            {
                ++failures;
            }
            // (Move-assigning into it terminates: context.cpp checks that in
            // a child process.)
            v.reset(t);
        });
    });
    release.set_value();
    holder.join();
    BOOST_TEST(failures == 2);
    BOOST_TEST(contains(message, "already entered"));
    BOOST_TEST(*ctx.get(v) == 1); // nothing was taken from it
    ctx.run([&] { BOOST_TEST(v.get() == 1); }); // and it can be entered again
}

BOOST_AUTO_TEST_CASE(guard_destroyed_on_another_thread_does_nothing)
{
    context_var<int> v("guarded_var", 0);
    context ctx;
    std::optional<scoped_set<int>> g;
    ctx.run([&] { g.emplace(v, 5); });
    on_new_thread([&] {
        context there;
        there.run([&] {
            auto t = v.set(9);
            g.reset(); // foreign context: documented to do nothing, never throws
            BOOST_TEST(v.get() == 9);
            BOOST_TEST(cv::copy_context().size() == 1u);
            v.reset(t);
        });
        // Made in this thread's base context, destroyed on a thread that has
        // no context at all: nothing happens there, and the value stays here.
        g.emplace(v, 6);
        std::thread([&] {
            g.reset();
            BOOST_TEST(cv::copy_context().empty());
        }).join();
        BOOST_TEST(v.get() == 6);
        // Made and destroyed in this thread's base context: restores.
        g.emplace(v, 7);
        g.reset();
        BOOST_TEST(v.get() == 6);
    });
    BOOST_TEST(*ctx.get(v) == 5); // stays set where the guard was made
}
