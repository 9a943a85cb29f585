// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking at the standard of the job that builds it, without
// coroutines: C++17 jobs build it too, where tracking_spawn.hpp wraps nothing
// and every location hook keeps the bookkeeping of strict mode's
// awaited-spawn check (tracking_location<true>), which no C++20 build uses on
// Asio 1.26 or 1.38. Composed operations on loopback TCP pass through those
// hooks at every step.

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/strict.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#define BOOST_TEST_MODULE tracking_cxx17
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"
#include "strict_recorder.hpp"

#include <array>
#include <stdexcept>

#if !defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
# error "test/tracking_cxx17.cpp is built with Boost::contextvars_tracking"
#endif

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::ip::tcp;
using boost::system::error_code;
using test_support::context_with;
using test_support::none;
using test_support::read;
using test_support::var;

namespace {

// A connected pair of loopback sockets.
struct socket_pair
{
    explicit socket_pair(asio::io_context& io): a(io), b(io)
    {
        tcp::acceptor acc(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        a.connect(acc.local_endpoint());
        acc.accept(b);
    }

    tcp::socket a;
    tcp::socket b;
};

// The location hooks' bookkeeping is back where it started.
void check_thread_state_clean()
{
    cv::detail::thread_state* s = cv::detail::state();
    BOOST_TEST(int(s->location_kind) == int(cv::detail::no_location));
    BOOST_TEST(!s->completion_pinned);
    BOOST_TEST(read() == none);
}

} // namespace

// Each step of a composed read and write (async_read, async_write: a location
// and an operation per step) carries the context of the initiation; a value
// set in one completion is what the operation it starts completes with.
BOOST_AUTO_TEST_CASE(composed_operations_carry_the_initiating_context)
{
    asio::io_context io(1);
    socket_pair p(io);
    std::array<char, 100000> out{}, in{};
    int written_in = none, read_in = none, second_read_in = none;
    context_with(1).run([&] {
        asio::async_write(p.a, asio::buffer(out), [&](error_code ec, std::size_t) {
            BOOST_TEST(!ec);
            written_in = read();
        });
    });
    context_with(2).run([&] {
        asio::async_read(p.b, asio::buffer(in), [&](error_code ec, std::size_t) {
            BOOST_TEST(!ec);
            read_in = read();
            var.set(3);
            asio::async_write(p.b, asio::buffer(in.data(), 10), [&](error_code, std::size_t) {});
            asio::async_read(p.a, asio::buffer(out.data(), 10), [&](error_code ec2, std::size_t) {
                BOOST_TEST(!ec2);
                second_read_in = read();
            });
        });
    });
    io.run();
    BOOST_TEST(written_in == 1);
    BOOST_TEST(read_in == 2);
    BOOST_TEST(second_read_in == 3);
    check_thread_state_clean();
}

// Python's rule holds at this standard too: a posted function and a bound
// callback run in new contexts, where the poster's token is foreign.
BOOST_AUTO_TEST_CASE(handlers_run_in_new_contexts)
{
    asio::io_context io(1);
    bool posted_foreign = false, bound_foreign = false;
    int bound_saw = none;
    cv::context c;
    c.run([&] {
        auto t = std::make_shared<cv::token<int>>(var.set(5));
        asio::post(io, [&, t] { posted_foreign = test_support::is_foreign(*t); });
        asio::post(io, cv::bind_context([&, t] {
            bound_saw = read();
            bound_foreign = test_support::is_foreign(*t);
        }));
    });
    io.run();
    BOOST_TEST(posted_foreign);
    BOOST_TEST(bound_foreign);
    BOOST_TEST(bound_saw == 5);
    check_thread_state_clean();
}

// A completion handler that throws, in the middle of a composed operation's
// chain, leaves the thread in the context it was in, and strict mode has
// nothing to report about handlers tracking ran.
BOOST_AUTO_TEST_CASE(throwing_completion_restores_and_strict_mode_is_quiet)
{
    test_support::recorder rec;
    BOOST_TEST(cv::detail::strict_on());
    asio::io_context io(1);
    socket_pair p(io);
    std::array<char, 64> out{}, in{};
    context_with(8).run([&] {
        asio::async_write(p.a, asio::buffer(out), [&](error_code, std::size_t) { var.set(9); });
        asio::async_read(p.b, asio::buffer(in), [&](error_code, std::size_t) {
            var.set(10);
            throw std::runtime_error("completion");
        });
    });
    int thrown = test_support::run_through_exceptions<std::runtime_error>(io, [] { BOOST_TEST(read() == none); });
    BOOST_TEST(thrown == 1);
    BOOST_TEST(test_support::reports.empty());
    check_thread_state_clean();
}
