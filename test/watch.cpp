// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Switch watchers (watch.hpp): called after context::run enters and leaves,
// around handlers of context_executor and bind_context, and, built with
// whole-program tracking (test watch_tracking), around plain handlers and each
// step of a coroutine hopping between an io_context and a thread_pool; not
// called when the values do not change; removal, the limit of eight, strict
// mode's report of a set() inside a watcher, re-entrancy, and a throwing
// watcher terminating.

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/contextvars/watch.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE watch
#include <boost/test/unit_test.hpp>

#include "strict_recorder.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace cv = boost::contextvars;

namespace {

cv::context_var<int> request("request", 0);

// Records the value of `request` each time it is called on the main thread.
struct recording
{
    std::vector<int> seen;

    static void watch(void* self)
    {
        static_cast<recording*>(self)->seen.push_back(request.get());
    }
};

// Adds a watcher for one scope.
struct scoped_watcher
{
    cv::watcher_id id;

    scoped_watcher(cv::switch_callback fn, void* user): id(cv::add_switch_watcher(fn, user)) {}

    ~scoped_watcher()
    {
        cv::remove_switch_watcher(id);
    }
};

cv::context context_with(int value)
{
    cv::context c;
    c.run([&] { request.set(value); });
    return c;
}

} // namespace

// The first test: it forks, and forks only a process without other threads.
BOOST_AUTO_TEST_CASE(throwing_watcher_terminates)
{
    pid_t pid = fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if(pid == 0)
    {
        std::signal(SIGABRT, SIG_DFL);
        cv::add_switch_watcher([](void*) { throw 1; });
        cv::context c = context_with(1);
        c.run([] {}); // the watcher throws inside a noexcept call: std::terminate
        _exit(0);
    }
    int status = 0;
    BOOST_TEST_REQUIRE(waitpid(pid, &status, 0) == pid);
    BOOST_TEST(WIFSIGNALED(status));
    BOOST_TEST(WTERMSIG(status) == SIGABRT);
}

BOOST_AUTO_TEST_CASE(run_enter_and_leave)
{
    cv::context c = context_with(42);     // a context where request is 42
    // tag::watch_basic[]
    recording r;
    cv::watcher_id id = cv::add_switch_watcher(&recording::watch, &r);
    c.run([] {});                         // called on entering (sees 42) and leaving (sees 0)
    cv::remove_switch_watcher(id);
    // end::watch_basic[]
    BOOST_TEST((r.seen == std::vector<int>{42, 0}));
    c.run([] {});                         // removed: not called
    BOOST_TEST(r.seen.size() == 2u);
}

BOOST_AUTO_TEST_CASE(nested_runs)
{
    cv::context a = context_with(1);
    cv::context b = context_with(2);
    recording r;
    scoped_watcher w(&recording::watch, &r);
    a.run([&] { b.run([] {}); });
    BOOST_TEST((r.seen == std::vector<int>{1, 2, 1, 0}));
}

BOOST_AUTO_TEST_CASE(not_called_when_the_values_do_not_change)
{
    cv::context a = context_with(5);
    recording r;
    scoped_watcher w(&recording::watch, &r);
    cv::context empty;
    empty.run([] {});                     // an empty context from an empty thread
    a.run([&] {
        cv::context same = cv::copy_context(); // another context, the same values
        same.run([] {});
    });
    BOOST_TEST((r.seen == std::vector<int>{5, 0}));
}

BOOST_AUTO_TEST_CASE(removal_stops_calls)
{
    cv::context c = context_with(3);
    recording r;
    cv::watcher_id id = cv::add_switch_watcher(&recording::watch, &r);
    BOOST_TEST(id.value() != 0u);
    c.run([] {});
    BOOST_TEST(cv::remove_switch_watcher(id));
    BOOST_TEST(!cv::remove_switch_watcher(id));
    BOOST_TEST(!cv::remove_switch_watcher(cv::watcher_id()));
    c.run([] {});
    BOOST_TEST(r.seen.size() == 2u);
}

BOOST_AUTO_TEST_CASE(ninth_watcher_fails)
{
    std::vector<cv::watcher_id> ids;
    for(std::size_t i = 0; i != cv::max_switch_watchers; ++i)
    {
        ids.push_back(cv::add_switch_watcher([](void*) {}));
    }
    BOOST_CHECK_THROW(cv::add_switch_watcher([](void*) {}), cv::watcher_limit_error);
    BOOST_TEST(cv::remove_switch_watcher(ids.back()));
    ids.back() = cv::add_switch_watcher([](void*) {}); // a place is free again
    for(cv::watcher_id id: ids)
    {
        BOOST_TEST(cv::remove_switch_watcher(id));
    }
}

BOOST_AUTO_TEST_CASE(strict_mode_reports_set_in_watcher)
{
    cv::context c = context_with(10);
    test_support::recorder rec;
    scoped_watcher w([](void*) {
        if(request.get() == 10) // only in c: the thread's own context stays clean
        {
            request.set(11);
        }
    }, nullptr);
    c.run([] {});
    auto r = rec.taken();
    BOOST_TEST(test_support::count(r, cv::strict_violation::set_in_switch_watcher) == 1u);
}

// A watcher that enters a context (here to read another context's value)
// does not call the watchers again; after it, the thread is in the context
// the switch made current.
BOOST_AUTO_TEST_CASE(reentrancy)
{
    static cv::context other = context_with(99);
    static std::vector<int> seen;
    seen.clear();
    cv::context c = context_with(7);
    scoped_watcher w([](void*) {
        seen.push_back(request.get());
        other.run([] { seen.push_back(request.get()); });
        seen.push_back(request.get());
    }, nullptr);
    c.run([] { BOOST_TEST(request.get() == 7); });
    BOOST_TEST((seen == std::vector<int>{7, 99, 7, 0, 99, 0}));
}

// A removal returns only once the watcher has returned on every other thread.
BOOST_AUTO_TEST_CASE(removal_waits_for_running_watchers)
{
    static std::atomic<int> state{0}; // 1: running on the other thread, 2: returned
    state = 0;
    cv::context c = context_with(1);
    cv::watcher_id id = cv::add_switch_watcher([](void*) {
        int idle = 0;
        if(state.compare_exchange_strong(idle, 1))
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            state = 2;
        }
    });
    std::thread t([&] { c.run([] {}); });
    while(state.load() == 0)
    {
        std::this_thread::yield();
    }
    BOOST_TEST(cv::remove_switch_watcher(id));
    BOOST_TEST(state.load() == 2);
    t.join();
}

// A watcher may remove itself.
BOOST_AUTO_TEST_CASE(watcher_removes_itself)
{
    static cv::watcher_id self;
    static int calls = 0;
    calls = 0;
    cv::context c = context_with(1);
    self = cv::add_switch_watcher([](void*) {
        ++calls;
        cv::remove_switch_watcher(self);
    });
    c.run([] {});
    c.run([] {});
    BOOST_TEST(calls == 1);
}

namespace {

// Counts calls per value seen, from any thread.
struct counting
{
    std::atomic<int> calls{0};
    std::atomic<int> with_value{0};
    std::mutex m;
    std::set<std::thread::id> threads;

    static void watch(void* self)
    {
        counting& c = *static_cast<counting*>(self);
        c.calls.fetch_add(1);
        if(request.get() != 0)
        {
            c.with_value.fetch_add(1);
            std::lock_guard<std::mutex> lock(c.m);
            c.threads.insert(std::this_thread::get_id());
        }
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(context_executor_handlers)
{
    cv::context c = context_with(4);
    counting n;
    scoped_watcher w(&counting::watch, &n);
    asio::io_context io;
    cv::context_executor ex(io.get_executor());
    c.run([&] {
        asio::post(ex, [] { BOOST_TEST(request.get() == 4); });
        asio::post(io, cv::bind_context([] { BOOST_TEST(request.get() == 4); }));
    });
    int before = n.calls.load();
    BOOST_TEST(before == 2); // c.run's enter and leave
    io.run();                // each handler: begin (4) and end (0)
    BOOST_TEST(n.calls.load() - before == 4);
    BOOST_TEST(n.with_value.load() == 1 + 2);
}

#if defined(BOOST_ASIO_CUSTOM_HANDLER_TRACKING)

// Whole-program tracking: plain executors.
template<class Executor>
Executor aware(Executor const& ex)
{
    return ex;
}

// A plain post: its handler begins and ends with a switch.
BOOST_AUTO_TEST_CASE(tracking_plain_handler)
{
    cv::context c = context_with(6);
    counting n;
    scoped_watcher w(&counting::watch, &n);
    asio::io_context io;
    c.run([&] { asio::post(io, [] { BOOST_TEST(request.get() == 6); }); });
    int before = n.calls.load();
    io.run();
    BOOST_TEST(n.calls.load() - before == 2);
}

#else

template<class Executor>
cv::context_executor<Executor> aware(Executor const& ex)
{
    return cv::context_executor<Executor>(ex);
}

#endif

#if defined(BOOST_ASIO_HAS_CO_AWAIT)

// Coroutines hopping between an io_context and a thread_pool, on plain
// executors under tracking, else on context_executor: every step begins and
// ends with a switch, on whichever thread it runs.
BOOST_AUTO_TEST_CASE(coroutine_steps_on_pool_hops)
{
    counting n;
    scoped_watcher w(&counting::watch, &n);
    asio::io_context io;
    asio::thread_pool pool(2);
    auto io_ex = aware(io.get_executor());
    auto pool_ex = aware(pool.get_executor());
    static std::atomic<int> wrong{0};
    wrong = 0;
    for(int id = 1; id <= 10; ++id)
    {
        asio::co_spawn(io_ex, [id, io_ex, pool_ex]() -> asio::awaitable<void> {
            request.set(id);
            for(int i = 0; i != 3; ++i)
            {
                co_await asio::post(asio::bind_executor(pool_ex, asio::use_awaitable));
                wrong += request.get() != id;
                co_await asio::post(asio::bind_executor(io_ex, asio::use_awaitable));
                wrong += request.get() != id;
            }
        }, asio::detached);
    }
    io.run();
    pool.join();
    BOOST_TEST(wrong.load() == 0);
    // Each of the 30 steps on the pool begins with a switch to its
    // coroutine's values, seen by the watcher there.
    BOOST_TEST(n.with_value.load() >= 10 * 3);
    BOOST_TEST(n.threads.size() >= 2u); // the io thread and at least one pool thread
}

#endif
