// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A profiler attributes CPU samples to requests through OpenTelemetry's thread
// context (OTEP 4947, <boost/contextvars/otel_thread_context.hpp>). A server
// on 127.0.0.1 runs each request as a coroutine with a span of its own, on an
// io_context run by two threads, and hops to a thread pool and back; it is
// built with whole-program tracking, so nothing in its code passes the
// context along. An in-process sampler stands in for the eBPF profiler: a
// SIGPROF timer interrupts whichever thread burns CPU, and the handler reads
// that thread's record through the exported thread-local symbol
// otel_thread_ctx_v1 at the OTEP's byte offsets, as an external reader would,
// and compares its trace id with the request the thread is serving. Prints
// "N samples, M with the wrong trace id" and fails unless N > 0 and M == 0.

#include <boost/contextvars/otel_thread_context.hpp>
#include <boost/contextvars/asio.hpp>

#include <opentelemetry/trace/default_span.h>
#include <opentelemetry/trace/scope.h>
#include <opentelemetry/trace/span_context.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <istream>
#include <string>
#include <thread>
#include <vector>

#include <dlfcn.h>
#include <sys/time.h>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
namespace trace = opentelemetry::trace;
namespace nostd = opentelemetry::nostd;
using asio::ip::tcp;

// ---- what the sampler compares against ------------------------------------------

// The trace id of the request a thread is burning CPU for, or null: the
// server's own bookkeeping, independent of the library, set around each
// stretch of work.
struct request_ids
{
    std::uint8_t trace_id[16];
};

thread_local request_ids const* serving = nullptr;

// Through a function the optimiser cannot see into: a coroutine resumed on
// another thread must not reuse the first thread's thread_local address.
BOOST_NOINLINE void set_serving(request_ids const* r)
{
    std::atomic_signal_fence(std::memory_order_seq_cst);
    *static_cast<request_ids const* volatile*>(&serving) = r;
    std::atomic_signal_fence(std::memory_order_seq_cst);
}

// ---- the sampler ------------------------------------------------------------------

std::atomic<long> samples{0};
std::atomic<long> wrong{0};

// Runs on the interrupted thread. Only reads memory: async-signal-safe.
extern "C" void on_sample(int)
{
    request_ids const* expected = *static_cast<request_ids const* volatile*>(&serving);
    if(expected == nullptr)
    {
        return; // not inside a request's work: nothing to attribute
    }
    samples.fetch_add(1, std::memory_order_relaxed);
    // OTEP 4947: the TLS pointer, then the record's bytes: trace-id at 0,
    // span-id at 16, valid at 24.
    unsigned char const* record = reinterpret_cast<unsigned char const*>(otel_thread_ctx_v1);
    if(record == nullptr || record[24] != 1 || std::memcmp(record, expected->trace_id, 16) != 0)
    {
        wrong.fetch_add(1, std::memory_order_relaxed);
    }
}

// ---- the server -------------------------------------------------------------------

// CPU work the profiler should attribute to the request.
void burn(request_ids const& r, std::chrono::microseconds how_long)
{
    set_serving(&r);
    auto end = std::chrono::steady_clock::now() + how_long;
    volatile std::uint64_t x = 0;
    while(std::chrono::steady_clock::now() < end)
    {
        for(int i = 0; i != 1000; ++i)
        {
            x = x + static_cast<std::uint64_t>(i);
        }
    }
    set_serving(nullptr);
}

int from_hex(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

asio::awaitable<void> serve_request(std::string const& line, request_ids& ids, asio::thread_pool& pool)
{
    for(int i = 0; i != 16; ++i)
    {
        ids.trace_id[i] = static_cast<std::uint8_t>(from_hex(line[2 * i]) << 4 | from_hex(line[2 * i + 1]));
    }
    std::uint8_t span_id[8] = {0x5e, 0x55, 0x10, 0x4e, ids.trace_id[12], ids.trace_id[13], ids.trace_id[14], ids.trace_id[15]};
    // With the OpenTelemetry SDK this is tracer->StartSpan(...); the API's
    // DefaultSpan carries the same ids, which is all the thread context holds.
    trace::SpanContext sc(trace::TraceId(ids.trace_id), trace::SpanId(span_id), trace::TraceFlags(1), false);
    trace::Scope scope(nostd::shared_ptr<trace::Span>(new trace::DefaultSpan(sc)));

    burn(ids, std::chrono::microseconds(300));                                // parse, on an io thread
    co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
    burn(ids, std::chrono::microseconds(600));                                // compute, on the pool
    co_await asio::post(asio::use_awaitable);
    burn(ids, std::chrono::microseconds(300));                                // render, on an io thread
}

asio::awaitable<void> session(tcp::socket socket, asio::thread_pool& pool)
{
    asio::streambuf in;
    request_ids ids{};
    for(;;)
    {
        std::size_t n = co_await asio::async_read_until(socket, in, '\n', asio::use_awaitable);
        std::string line(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + static_cast<std::ptrdiff_t>(n));
        in.consume(n);
        if(line.size() < 33)
        {
            co_return; // "bye"
        }
        co_await serve_request(line, ids, pool);
        co_await asio::async_write(socket, asio::buffer(line), asio::use_awaitable);
    }
}

asio::awaitable<void> listen(tcp::acceptor& acceptor, int connections, asio::thread_pool& pool)
{
    for(int i = 0; i != connections; ++i)
    {
        tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
        asio::co_spawn(acceptor.get_executor(), session(std::move(s), pool), asio::detached);
    }
}

// ---- the clients ------------------------------------------------------------------

asio::awaitable<void> client(tcp::endpoint server, int n, int requests, std::atomic<int>& bad_replies)
{
    tcp::socket s(co_await asio::this_coro::executor);
    co_await s.async_connect(server, asio::use_awaitable);
    asio::streambuf in;
    for(int r = 0; r != requests; ++r)
    {
        char line[40];
        std::snprintf(line, sizeof line, "0af7651916cd43dd8448eb211c%02x%04x\n", n & 0xff, r & 0xffff);
        co_await asio::async_write(s, asio::buffer(line, 33), asio::use_awaitable);
        std::size_t got = co_await asio::async_read_until(s, in, '\n', asio::use_awaitable);
        std::string reply(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + static_cast<std::ptrdiff_t>(got));
        in.consume(got);
        bad_replies += reply != std::string(line, 33);
    }
    co_await asio::async_write(s, asio::buffer("bye\n", 4), asio::use_awaitable);
}

int main()
{
    // The OpenTelemetry bridge, and its spans published on every thread.
    nostd::shared_ptr<cv::otel::context_storage> storage = cv::otel::install();
    cv::otel::thread_context publisher(*storage);

    // An external reader finds the record through the dynamic symbol table.
    if(dlsym(RTLD_DEFAULT, "otel_thread_ctx_v1") != static_cast<void*>(&otel_thread_ctx_v1))
    {
        std::printf("otel_thread_ctx_v1 is not in the dynamic symbol table "
                    "(link with -Wl,--export-dynamic-symbol=otel_thread_ctx_v1)\n");
        return 1;
    }

    constexpr int connections = 16;
    constexpr int requests = 10;
    asio::io_context io(2);
    asio::thread_pool pool(2);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    asio::co_spawn(io, listen(acceptor, connections, pool), asio::detached);

    asio::io_context clients(1);
    std::atomic<int> bad_replies{0};
    for(int n = 0; n != connections; ++n)
    {
        asio::co_spawn(clients, client(acceptor.local_endpoint(), n, requests, bad_replies), asio::detached);
    }

    // The sampler: SIGPROF every millisecond of CPU time, on the thread using it.
    struct sigaction act = {};
    act.sa_handler = &on_sample;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    sigaction(SIGPROF, &act, nullptr);
    itimerval every_ms = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_PROF, &every_ms, nullptr);

    std::thread server_thread([&] { io.run(); });
    std::thread client_thread([&] { clients.run(); });
    io.run();
    server_thread.join();
    client_thread.join();
    pool.join();

    itimerval stop = {};
    setitimer(ITIMER_PROF, &stop, nullptr);

    std::printf("%d requests, %d bad replies\n", connections * requests, bad_replies.load());
    std::printf("%ld samples, %ld with the wrong trace id\n", samples.load(), wrong.load());
    return samples.load() > 0 && wrong.load() == 0 && bad_replies.load() == 0 ? 0 : 1;
}
