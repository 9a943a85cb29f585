// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// OpenTelemetry's thread context (otel_thread_context.hpp, OTEP 4947), read
// as an external reader reads it: the symbol otel_thread_ctx_v1 is in the
// dynamic symbol table, points to a 28-byte record whose bytes are read at
// the OTEP's offsets, and is set once per thread; `valid` is 1 exactly while
// a span is active, around context switches, Attach/Detach, handlers and
// coroutine steps on other threads (built with whole-program tracking). A
// SIGPROF timer interrupting a thread that switches between two spans never
// sees a valid record mixing them.

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/otel_thread_context.hpp>
#include <boost/contextvars/asio.hpp>

#include <opentelemetry/trace/context.h>
#include <opentelemetry/trace/default_span.h>
#include <opentelemetry/trace/scope.h>
#include <opentelemetry/trace/span_context.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE otel_thread_context
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <thread>

#include <dlfcn.h>
#include <sys/time.h>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
namespace trace = opentelemetry::trace;
namespace nostd = opentelemetry::nostd;

namespace {

nostd::shared_ptr<trace::Span> make_span(std::uint8_t n)
{
    std::uint8_t trace_id[16];
    std::uint8_t span_id[8];
    std::memset(trace_id, n, 16);
    std::memset(span_id, n, 8);
    trace_id[0] = 0xa0; // never all zero
    trace::SpanContext sc(trace::TraceId(trace_id), trace::SpanId(span_id), trace::TraceFlags(1), false);
    return nostd::shared_ptr<trace::Span>(new trace::DefaultSpan(sc));
}

// What the reader sees on the calling thread: the record's bytes through the
// TLS pointer, at the OTEP's offsets.
struct seen
{
    bool attached = false;       // otel_thread_ctx_v1 non-null
    std::uint8_t valid = 0;
    std::uint8_t trace_last = 0; // trace-id byte 15
    std::uint8_t span_last = 0;  // span-id byte 7
    std::uint8_t flags = 0;
    std::uint16_t attrs_size = 0xffff;
};

seen read_record()
{
    seen s;
    unsigned char const* r = reinterpret_cast<unsigned char const*>(otel_thread_ctx_v1);
    if(r == nullptr)
    {
        return s;
    }
    s.attached = true;
    s.trace_last = r[15];
    s.span_last = r[16 + 7];
    s.valid = r[24];
    s.flags = r[25];
    std::memcpy(&s.attrs_size, r + 26, 2);
    return s;
}

// One storage and one publisher for the whole test program, as in a server.
struct setup
{
    // tag::otel_thread_context[]
    // At start-up, before any span is made current:
    nostd::shared_ptr<cv::otel::context_storage> storage = cv::otel::install();
    cv::otel::thread_context publisher{*storage}; // otel_thread_ctx_v1 follows every switch
    // end::otel_thread_context[]
};

setup& the_setup()
{
    static setup s;
    return s;
}

} // namespace

BOOST_AUTO_TEST_CASE(symbol_is_exported)
{
    void* p = dlsym(RTLD_DEFAULT, "otel_thread_ctx_v1");
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p == static_cast<void*>(&otel_thread_ctx_v1)); // the calling thread's instance
}

BOOST_AUTO_TEST_CASE(record_around_switches)
{
    the_setup();
    seen s = read_record();
    BOOST_TEST(s.attached);              // published at construction
    BOOST_TEST(s.valid == 0);            // no span yet
    BOOST_TEST(s.attrs_size == 0);
    void const* record = otel_thread_ctx_v1;

    cv::context with_span;
    nostd::shared_ptr<trace::Span> a = make_span(1);
    with_span.run([&] {
        trace::Scope scope(a); // Attach: a set() the mirror follows
        s = read_record();
        BOOST_TEST(s.valid == 1);
        BOOST_TEST(s.trace_last == 1);
        BOOST_TEST(s.span_last == 1);
        BOOST_TEST(s.flags == 1);
        cv::context{}.run([] {  // switch to a context without span
            seen inner = read_record();
            BOOST_TEST(inner.valid == 0);
        });
        s = read_record();       // and back
        BOOST_TEST(s.valid == 1);
        BOOST_TEST(s.span_last == 1);
        {
            trace::Scope nested(make_span(2));
            BOOST_TEST(read_record().span_last == 2);
        }
        BOOST_TEST(read_record().span_last == 1); // Detach
    });
    BOOST_TEST(read_record().valid == 0);        // left the request's context
    BOOST_TEST(otel_thread_ctx_v1 == record);    // one record per thread, pointer set once
}

// Handlers and coroutine steps on threads that never touched the bridge
// publish on their own records.
BOOST_AUTO_TEST_CASE(other_threads)
{
    the_setup();
    asio::io_context io;
    asio::thread_pool pool(2);
    std::atomic<int> checks{0};
    std::atomic<int> wrong{0};
    for(int n = 1; n <= 20; ++n)
    {
        asio::co_spawn(io, [&, n]() -> asio::awaitable<void> {
            trace::Scope scope(make_span(static_cast<std::uint8_t>(n)));
            for(int i = 0; i != 3; ++i)
            {
                co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
                seen s = read_record();
                wrong += !(s.attached && s.valid == 1 && s.span_last == n);
                ++checks;
                co_await asio::post(asio::use_awaitable);
                s = read_record();
                wrong += !(s.attached && s.valid == 1 && s.span_last == n);
                ++checks;
            }
        }, asio::detached);
    }
    std::thread t([&] { io.run(); });
    t.join();
    // Idle pool threads hold no span.
    for(int i = 0; i != 4; ++i)
    {
        asio::post(pool, [&] { wrong += read_record().valid != 0; });
    }
    pool.join();
    BOOST_TEST(checks.load() == 20 * 6);
    BOOST_TEST(wrong.load() == 0);
}

namespace {

// The sampler: a signal interrupting the writer, as the OTEP's readers do.
std::atomic<int> samples{0};
std::atomic<int> torn{0};

extern "C" void on_sigprof(int)
{
    seen s = read_record();
    if(s.valid == 1)
    {
        samples.fetch_add(1, std::memory_order_relaxed);
        unsigned char const* r = reinterpret_cast<unsigned char const*>(otel_thread_ctx_v1);
        // A valid record holds one span's bytes: ids 0xa0 nn...nn / nn...nn.
        for(int i = 1; i != 24; ++i)
        {
            if(r[i] != s.span_last)
            {
                torn.fetch_add(1, std::memory_order_relaxed);
                break;
            }
        }
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(validity_flag_protocol_under_sampling)
{
    the_setup();
    cv::context a;
    cv::context b;
    nostd::shared_ptr<trace::Span> sa = make_span(0x11);
    nostd::shared_ptr<trace::Span> sb = make_span(0x22);
    trace::Scope* keep_a = nullptr;
    trace::Scope* keep_b = nullptr;
    a.run([&] { keep_a = new trace::Scope(sa); });
    b.run([&] { keep_b = new trace::Scope(sb); });

    struct sigaction act = {};
    act.sa_handler = &on_sigprof;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    struct sigaction old = {};
    sigaction(SIGPROF, &act, &old);
    itimerval every = {{0, 200}, {0, 200}};
    setitimer(ITIMER_PROF, &every, nullptr);
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(400);
    while(std::chrono::steady_clock::now() < end || samples.load() < 20)
    {
        for(int i = 0; i != 1000; ++i)
        {
            a.run([&] { b.run([] {}); }); // each switch rewrites the record
        }
        if(std::chrono::steady_clock::now() > end + std::chrono::seconds(5))
        {
            break;
        }
    }
    itimerval stop = {};
    setitimer(ITIMER_PROF, &stop, nullptr);
    sigaction(SIGPROF, &old, nullptr);
    BOOST_TEST_MESSAGE(samples.load() << " samples of a valid record");
    BOOST_TEST(samples.load() > 0);
    BOOST_TEST(torn.load() == 0);
    a.run([&] { delete keep_a; });
    b.run([&] { delete keep_b; });
}
