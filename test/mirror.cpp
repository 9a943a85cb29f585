// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// thread_local_mirror (mirror.hpp): a thread_local that equals var.get() at
// every check, after set(), reset(), context::run, and in 100 coroutines on an
// io_context run by two threads that hop to a thread_pool and wait on timers,
// plus plain handlers; built with whole-program tracking on plain executors
// (test mirror_tracking) and without it on context_executor (test mirror).
// Destroying the mirror stops the writes. Also the MDC-style logging bridge
// of the documentation.

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/mirror.hpp>
#include <boost/contextvars/scoped_set.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE mirror
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;

namespace {

cv::context_var<int> request("request"); // no default: the mirror sees null outside a request

constexpr int none = -1;

// The legacy thread_local that code which cannot be changed reads.
thread_local int legacy_request = none;

void assign_request(int const* value)
{
    legacy_request = value ? *value : none;
}

int expected()
{
    int const* p = request.try_get();
    return p ? *p : none;
}

std::atomic<int> checks{0};
std::atomic<int> wrong{0};

void check()
{
    checks.fetch_add(1, std::memory_order_relaxed);
    if(legacy_request != expected())
    {
        wrong.fetch_add(1, std::memory_order_relaxed);
    }
}

#if defined(BOOST_ASIO_CUSTOM_HANDLER_TRACKING)
// Whole-program tracking: plain executors.
template<class Executor>
Executor aware(Executor const& ex)
{
    return ex;
}
#else
template<class Executor>
cv::context_executor<Executor> aware(Executor const& ex)
{
    return cv::context_executor<Executor>(ex);
}
#endif

} // namespace

BOOST_AUTO_TEST_CASE(set_reset_run)
{
    cv::thread_local_mirror<int> m(request, &assign_request);
    BOOST_TEST(legacy_request == none); // assigned at construction
    cv::token<int> t = request.set(1);
    BOOST_TEST(legacy_request == 1);
    {
        cv::scoped_set<int> s(request, 2);
        BOOST_TEST(legacy_request == 2);
    }
    BOOST_TEST(legacy_request == 1);
    cv::context c = cv::copy_context();
    c.run([] {
        BOOST_TEST(legacy_request == 1); // a copy of the thread's values
        request.set(3);
        BOOST_TEST(legacy_request == 3);
    });
    BOOST_TEST(legacy_request == 1);
    cv::context{}.run([] { BOOST_TEST(legacy_request == none); }); // an empty context
    BOOST_TEST(legacy_request == 1);
    request.reset(t);
    BOOST_TEST(legacy_request == none);
}

BOOST_AUTO_TEST_CASE(coroutines_pool_hops_timers_and_handlers)
{
    cv::thread_local_mirror<int> m(request, &assign_request);
    checks = 0;
    wrong = 0;
    asio::io_context io(2);
    asio::thread_pool pool(2);
    auto io_ex = aware(io.get_executor());
    auto pool_ex = aware(pool.get_executor());
    for(int id = 1; id <= 100; ++id)
    {
        asio::co_spawn(io_ex, [id, io_ex, pool_ex]() -> asio::awaitable<void> {
            check();
            cv::token<int> t = request.set(id);
            check();
            asio::steady_timer timer(io_ex);
            for(int i = 0; i != 3; ++i)
            {
                co_await asio::post(asio::bind_executor(pool_ex, asio::use_awaitable));
                check();
                {
                    cv::scoped_set<int> s(request, id + 1000);
                    check();
                }
                check();
                co_await asio::post(asio::bind_executor(io_ex, asio::use_awaitable));
                check();
                timer.expires_after(std::chrono::milliseconds(1 + id % 3));
                co_await timer.async_wait(asio::use_awaitable);
                check();
            }
            request.reset(t);
            check();
        }, asio::detached);
    }
    // Plain handlers and timers, each in a context of its own.
    std::vector<std::unique_ptr<asio::steady_timer>> timers;
    for(int id = 1; id <= 50; ++id)
    {
        cv::context c;
        c.run([&] {
            request.set(id + 5000);
            asio::post(io_ex, [] { check(); });
            timers.push_back(std::make_unique<asio::steady_timer>(io_ex, std::chrono::milliseconds(id % 5)));
            timers.back()->async_wait([](boost::system::error_code) {
                check();
                request.set(-7);
                check();
            });
        });
    }
    std::thread other([&] { io.run(); });
    io.run();
    other.join();
    pool.join();
    BOOST_TEST(checks.load() == 100 * (3 + 3 * 5) + 50 * 3);
    BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_CASE(destroyed_mirror_stops_writing)
{
    {
        cv::thread_local_mirror<int> m(request, &assign_request);
        request.set(8);
        BOOST_TEST(legacy_request == 8);
    }
    cv::token<int> t = request.set(9);
    BOOST_TEST(legacy_request == 8);
    cv::context{}.run([] { BOOST_TEST(legacy_request == 8); });
    asio::io_context io;
    asio::post(aware(io.get_executor()), [] { request.set(10); });
    std::thread th([&] { io.run(); });
    th.join();
    BOOST_TEST(legacy_request == 8);
    request.reset(t);
    legacy_request = none;
}

// The documentation's MDC-style logging bridge: a legacy logger prints the
// request id from its own thread-local "mapped diagnostic context".
namespace {

// tag::mirror_mdc[]
// A legacy logger's MDC: a per-thread key/value map every log line prints.
thread_local std::string mdc_request_id;

std::string log_line(std::string const& message)    // the legacy logger, unchanged
{
    return "[request=" + mdc_request_id + "] " + message;
}

cv::context_var<std::string> request_id("request_id");

void assign_mdc(std::string const* id)               // called on the thread that switched
{
    mdc_request_id = id ? *id : "-";
}
// end::mirror_mdc[]

} // namespace

BOOST_AUTO_TEST_CASE(mdc_bridge)
{
    asio::io_context io;
    auto ex = aware(io.get_executor()); // tracking: io's own executor; else a context_executor
    // tag::mirror_mdc_use[]
    cv::thread_local_mirror<std::string> mdc(request_id, &assign_mdc); // at start-up

    std::vector<std::string> lines;
    for(std::string id: {"a17", "b42"})
    {
        cv::context c;
        c.run([&] {
            request_id.set(id);
            asio::post(ex, [&] { lines.push_back(log_line("handled")); });
        });
    }
    io.run();
    // lines: "[request=a17] handled", "[request=b42] handled"
    // end::mirror_mdc_use[]
    BOOST_TEST(lines.size() == 2u);
    BOOST_TEST(lines[0] == "[request=a17] handled");
    BOOST_TEST(lines[1] == "[request=b42] handled");
    BOOST_TEST(log_line("idle") == "[request=-] idle");
}
