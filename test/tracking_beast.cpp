// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking with Beast operations that Beast parks behind
// another one (asio/detail/tracking_beast.hpp): a websocket read that must
// answer a ping while a write started in another context holds the stream
// waits for that write, and is resumed from its completion; the read's
// handler, and the reads started from it, still run in the reader's context.
// Real loopback sockets; the peer is a blocking Beast client on a thread of
// its own, which pings while the server's write is stuck on a full socket.

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/asio.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#define BOOST_TEST_MODULE tracking_beast
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace cv = boost::contextvars;
using tcp = asio::ip::tcp;
using test_support::read;

namespace {

// Large enough that the server's write cannot complete before the client
// reads: loopback socket buffers hold a few megabytes.
constexpr std::size_t big = 32u << 20;

// The client's side: ping while the server's write is pending, then read
// that write (which lets it complete), then send the two messages the
// server reads, and wait for the server's close.
void client(unsigned short port)
{
    asio::io_context io;
    websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    ws.read_message_max(2 * big);
    ws.handshake("127.0.0.1", "/");
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the server's write fills the socket
    ws.ping({});
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the server's read parks behind it
    beast::flat_buffer b;
    ws.read(b);
    ws.ping({}); // read by the server's read once it resumed
    ws.write(asio::buffer(std::string("first")));
    ws.write(asio::buffer(std::string("second")));
    beast::error_code ec;
    ws.read(b, ec); // the server's close
}

// A server-side websocket connected to a client() thread.
struct connection
{
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
    std::thread peer;
    std::string payload = std::string(big, 'x');

    explicit connection(void (*script)(unsigned short) = client)
    {
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        peer = std::thread(script, acceptor.local_endpoint().port());
        acceptor.accept(ws.next_layer());
        ws.accept();
    }

    ~connection()
    {
        peer.join();
    }
};

// A client that sends nothing and waits for the server's close.
void silent_client(unsigned short port)
{
    asio::io_context io;
    websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    ws.handshake("127.0.0.1", "/");
    beast::flat_buffer b;
    beast::error_code ec;
    ws.read(b, ec);
}

} // namespace

// The tracked reading: a read handler that the parked read completes, and
// the read it starts, run in the reader's context; the writer's completion
// in the writer's; and the control callback, called from the read's steps,
// in the reader's, before the read is parked and after it resumed.
BOOST_AUTO_TEST_CASE(parked_read_completes_in_readers_context)
{
    connection c;
    std::vector<int> reads;
    int write_done = test_support::none;
    beast::flat_buffer first;
    beast::flat_buffer second;
    // Called from the read's steps, also those after the read was parked
    // and resumed from the write's completion.
    std::vector<int> control;
    c.ws.control_callback([&](websocket::frame_type, beast::string_view) { control.push_back(read()); });
    test_support::context_with(2).run([&] {
        c.ws.async_write(asio::buffer(c.payload), [&](beast::error_code ec, std::size_t) {
            BOOST_TEST(!ec);
            write_done = read();
        });
    });
    test_support::context_with(1).run([&] {
        c.ws.async_read(first, [&](beast::error_code ec, std::size_t) {
            BOOST_TEST(!ec);
            reads.push_back(read());
            c.ws.async_read(second, [&](beast::error_code ec2, std::size_t) {
                BOOST_TEST(!ec2);
                reads.push_back(read());
                c.ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
            });
        });
    });
    c.io.run();
    BOOST_TEST(write_done == 2);
    BOOST_TEST(reads == (std::vector<int>{1, 1}), boost::test_tools::per_element());
    BOOST_TEST(control.size() >= 2u); // the two pings, and the close's answer
    BOOST_TEST(control == std::vector<int>(control.size(), 1), boost::test_tools::per_element());
    BOOST_TEST(beast::buffers_to_string(first.data()) == "first");
    BOOST_TEST(beast::buffers_to_string(second.data()) == "second");
}

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
// A coroutine reading: it resumes in its own context, identity included (a
// token made before the parked read resets after it), and so do its later
// reads.
BOOST_AUTO_TEST_CASE(parked_read_resumes_the_reading_coroutine)
{
    connection c;
    std::vector<int> reads;
    bool token_kept = false;
    test_support::context_with(2).run([&] {
        c.ws.async_write(asio::buffer(c.payload), [](beast::error_code, std::size_t) {});
    });
    test_support::context_with(1).run([&] {
        asio::co_spawn(c.io, [&]() -> asio::awaitable<void> {
            auto t = test_support::var.set(3);
            beast::flat_buffer b;
            co_await c.ws.async_read(b, asio::use_awaitable);
            reads.push_back(read());
            co_await c.ws.async_read(b, asio::use_awaitable);
            reads.push_back(read());
            token_kept = !test_support::is_foreign(t);
            co_await c.ws.async_close(websocket::close_code::normal, asio::use_awaitable);
        }, asio::detached);
    });
    c.io.run();
    BOOST_TEST(reads == (std::vector<int>{3, 3}), boost::test_tools::per_element());
    BOOST_TEST(token_kept);
}
#endif

// The pinned handler keeps the handler's associations: a cancellation slot
// bound to the read reaches Beast, and the cancelled read's handler runs in
// the reader's context.
BOOST_AUTO_TEST_CASE(cancelled_read_keeps_slot_and_context)
{
    connection c(silent_client);
    asio::cancellation_signal cancel;
    asio::steady_timer timer(c.io);
    beast::error_code result;
    int seen = test_support::none;
    beast::flat_buffer b;
    test_support::context_with(4).run([&] {
        c.ws.async_read(b, asio::bind_cancellation_slot(cancel.slot(), [&](beast::error_code ec, std::size_t) {
            result = ec;
            seen = read();
            c.ws.next_layer().close(); // the client's read ends
        }));
    });
    test_support::context_with(5).run([&] {
        timer.expires_after(std::chrono::milliseconds(50));
        timer.async_wait([&](beast::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    });
    // Were the slot lost, the read would wait for ever: close the socket
    // after a while, and say so.
    asio::steady_timer watchdog(c.io);
    watchdog.expires_after(std::chrono::seconds(10));
    bool watchdog_fired = false;
    watchdog.async_wait([&](beast::error_code ec) {
        if(!ec && c.ws.next_layer().is_open())
        {
            watchdog_fired = true;
            c.ws.next_layer().close();
        }
    });
    while(seen == test_support::none && c.io.run_one() != 0)
    {
    }
    watchdog.cancel();
    c.io.run();
    BOOST_TEST(!watchdog_fired);
    BOOST_TEST(result == asio::error::operation_aborted);
    BOOST_TEST(seen == 4);
}
