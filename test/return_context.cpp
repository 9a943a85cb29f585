// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// return_context(token) (asio/return_context.hpp): the handler of a co_spawn
// or asio::spawn also gets the context the child ended in: a value, void, an
// exception (the context still comes back), a callback, deferred, nested
// children, and a stackful child; the spawner's own context is untouched.
// Built twice (test/Jamfile): on context_executors, and under whole-program
// tracking on plain executors, each on an io_context run by two threads and
// a thread pool the children hop through.

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/asio/return_context.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#define BOOST_TEST_MODULE return_context
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <future>
#include <stdexcept>
#include <string>
#include <tuple>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using test_support::none;
using test_support::read;
using test_support::var;

namespace {

cv::context_var<std::string> note("note");

// Plain executors under tracking, context_executors without it.
using executor = test_support::mode_io;
using test_support::on;

std::string result(std::promise<std::string>& p)
{
    std::future<std::string> f = p.get_future();
    return test_support::wait(f);
}

// A child that sets values, hops to the pool and back, and returns one.
asio::awaitable<int> child(asio::thread_pool& pool, int v)
{
    var.set(read() + v);
    co_await asio::post(asio::bind_executor(on(pool), asio::use_awaitable));
    note.set("child " + std::to_string(v));
    co_return read();
}

asio::awaitable<void> quiet_child(asio::thread_pool& pool)
{
    co_await asio::post(asio::bind_executor(on(pool), asio::use_awaitable));
    note.set("quiet");
}

asio::awaitable<int> failing_child(asio::thread_pool& pool)
{
    note.set("failing");
    co_await asio::post(asio::bind_executor(on(pool), asio::use_awaitable));
    throw std::runtime_error("child failed");
}

} // namespace

BOOST_AUTO_TEST_CASE(awaited_value_void_and_merge)
{
    test_support::io_threads t(2);
    asio::thread_pool pool(1);
    std::promise<std::string> done;
    test_support::context_with(1).run([&] {
        asio::co_spawn(on(t.io), [&]() -> asio::awaitable<void> {
            // tag::return_context[]
            auto [ctx, v] = co_await asio::co_spawn(on(t.io), child(pool, 10), cv::return_context(asio::use_awaitable));
            // end::return_context[]
            std::string seen = std::to_string(v) + " " + std::to_string(*ctx.get(var)) + " " + *ctx.get(note);
            seen += " own " + std::to_string(read()) + (note.get("") == "" ? " none" : " leaked");
            cv::context q =
                co_await asio::co_spawn(on(t.io), quiet_child(pool), cv::return_context(asio::use_awaitable));
            seen += " " + *q.get(note);
            // tag::return_context_merge[]
            note.set(*ctx.get(note)); // merging is the caller's choice
            // end::return_context_merge[]
            seen += " merged " + note.get("");
            done.set_value(seen);
        }, asio::detached);
    });
    BOOST_TEST(result(done) == "11 11 child 10 own 1 none quiet merged child 10");
}

BOOST_AUTO_TEST_CASE(callback_gets_the_context_also_after_an_exception)
{
    test_support::io_threads t(2);
    asio::thread_pool pool(1);
    std::promise<std::string> done;
    test_support::context_with(2).run([&] {
        asio::co_spawn(on(t.io), failing_child(pool),
            cv::return_context([&](std::exception_ptr e, cv::context ctx, int v) {
                std::string s = e ? "error" : "no error";
                s += " " + *ctx.get(note) + " " + std::to_string(v) + " own " + std::to_string(read());
                done.set_value(s);
            }));
    });
    BOOST_TEST(result(done) == "error failing 0 own 2");
}

BOOST_AUTO_TEST_CASE(deferred_and_nested)
{
    test_support::io_threads t(2);
    asio::thread_pool pool(1);
    std::promise<std::string> done;
    test_support::context_with(3).run([&] {
        asio::co_spawn(on(t.io), [&]() -> asio::awaitable<void> {
            auto op = asio::co_spawn(on(t.io), [&]() -> asio::awaitable<int> {
                // A child that spawns its own child and keeps what it ended with.
                auto [inner, w] = co_await asio::co_spawn(on(t.io), child(pool, 100), cv::return_context(asio::use_awaitable));
                note.set("outer after " + *inner.get(note));
                co_return w;
            }, cv::return_context(asio::deferred));
            auto [ctx, v] = co_await std::move(op)(asio::use_awaitable);
            done.set_value(std::to_string(v) + " " + *ctx.get(note) + " " + std::to_string(*ctx.get(var)));
        }, asio::detached);
    });
    // The outer child's var is its copy of the spawner's 3: the inner child's
    // set stayed in the inner child.
    BOOST_TEST(result(done) == "103 outer after child 100 3");
}

BOOST_AUTO_TEST_CASE(stackful_child)
{
    test_support::io_threads t(2);
    std::promise<std::string> done;
    test_support::context_with(4).run([&] {
        asio::spawn(on(t.io), [](asio::basic_yield_context<executor> y) {
            var.set(40);
            asio::post(y);
            note.set("stackful");
            return 7;
        }, cv::return_context([&](std::exception_ptr e, cv::context ctx, int v) {
            done.set_value(std::string(e ? "error" : "ok") + " " + std::to_string(v) + " " + *ctx.get(note) + " " +
                std::to_string(*ctx.get(var)) + " own " + std::to_string(read()));
        }));
    });
    BOOST_TEST(result(done) == "ok 7 stackful 40 own 4");
}
