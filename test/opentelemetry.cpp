// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests of <boost/contextvars/opentelemetry.hpp>: OpenTelemetry's current
// span and baggage follow coroutines and handlers once otel::install() has
// replaced the default thread-local storage. The same 50-coroutine program
// runs first on OpenTelemetry's default storage, which must get spans wrong
// (or this test shows nothing), then on the bridge, which must get all
// right. Detach is checked against the default storage's own Detach on one
// random sequence of attaches and detaches, including non-top tokens.

#include <boost/contextvars/opentelemetry.hpp>
#include <boost/contextvars/asio.hpp>

#include <opentelemetry/baggage/baggage.h>
#include <opentelemetry/baggage/baggage_context.h>
#include <opentelemetry/trace/context.h>
#include <opentelemetry/trace/default_span.h>
#include <opentelemetry/trace/scope.h>
#include <opentelemetry/trace/span_context.h>
#include <opentelemetry/trace/tracer.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#define BOOST_TEST_MODULE opentelemetry
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
namespace otel_ctx = opentelemetry::context;
namespace trace = opentelemetry::trace;
namespace baggage = opentelemetry::baggage;
namespace nostd = opentelemetry::nostd;
using asio::awaitable;
using asio::use_awaitable;
using test_support::none;

namespace {

// ---- spans and storages -------------------------------------------------------

// A span whose id (and trace id) encodes `n`: the API's DefaultSpan is
// enough, since only the span context is read back.
nostd::shared_ptr<trace::Span> make_span(int n)
{
    std::uint8_t trace_id[16] = {1};
    std::uint8_t span_id[8] = {1};
    trace_id[15] = span_id[7] = static_cast<std::uint8_t>(n);
    trace_id[14] = span_id[6] = static_cast<std::uint8_t>(n >> 8);
    trace::SpanContext sc(trace::TraceId(trace_id), trace::SpanId(span_id), trace::TraceFlags(1), false);
    return nostd::shared_ptr<trace::Span>(new trace::DefaultSpan(sc));
}

// The number of the current span, `none` when no span is current.
int current_span()
{
    trace::SpanContext sc = trace::Tracer::GetCurrentSpan()->GetContext();
    if(!sc.IsValid())
    {
        return none;
    }
    return sc.span_id().Id()[7] | sc.span_id().Id()[6] << 8;
}

// The tenant in the current baggage, empty when there is none.
std::string current_tenant()
{
    std::string v;
    baggage::GetBaggage(otel_ctx::RuntimeContext::GetCurrent())->GetValue("tenant", v);
    return v;
}

void use_default_storage()
{
    otel_ctx::RuntimeContext::SetRuntimeContextStorage(
        nostd::shared_ptr<otel_ctx::RuntimeContextStorage>(new otel_ctx::ThreadLocalContextStorage));
}

// ---- 50 coroutines, 2 threads ---------------------------------------------------

struct read_counts
{
    std::atomic<int> reads{0};
    std::atomic<int> wrong{0};
    std::atomic<int> failures{0};
};

// Attaches a baggage with its tenant, makes its span current for its whole
// life, and checks both after each of 10 hops (posts and timers).
awaitable<void> traced_request(int n, read_counts& counts)
{
    auto ctx = otel_ctx::RuntimeContext::GetCurrent();
    auto bag = baggage::Baggage::GetDefault()->Set("tenant", "tenant-" + std::to_string(n));
    auto bag_token = otel_ctx::RuntimeContext::Attach(baggage::SetBaggage(ctx, bag));
    auto span = make_span(n);
    auto scope = trace::Tracer::WithActiveSpan(span);

    auto ex = co_await asio::this_coro::executor;
    for(int k = 0; k < 10; ++k)
    {
        if(k % 3 == 0)
        {
            asio::steady_timer t(ex, std::chrono::milliseconds(1));
            co_await t.async_wait(use_awaitable);
        }
        else
        {
            co_await asio::post(ex, use_awaitable);
        }
        ++counts.reads;
        if(current_span() != n || current_tenant() != "tenant-" + std::to_string(n))
        {
            ++counts.wrong;
        }
    }
}

// Runs 50 traced_requests on a 2-thread pool through a context_executor, with
// whatever storage is installed; returns {reads, wrong reads}.
std::pair<int, int> run_50_requests()
{
    asio::thread_pool pool(2);
    test_support::cx_pool ex(pool);
    read_counts counts;
    for(int n = 1; n <= 50; ++n)
    {
        asio::co_spawn(ex, traced_request(n, counts), [&](std::exception_ptr e) {
            if(e)
            {
                ++counts.failures;
            }
        });
    }
    pool.join();
    BOOST_TEST(counts.failures == 0);
    return {counts.reads.load(), counts.wrong.load()};
}

} // namespace

BOOST_FIXTURE_TEST_CASE(default_storage_gets_spans_wrong_bridge_gets_them_right, test_support::bg_fixture)
{
    use_default_storage();
    auto [reads_before, wrong_before] = run_50_requests();
    BOOST_TEST_MESSAGE("default storage: " << wrong_before << " of " << reads_before << " reads wrong");
    BOOST_TEST(reads_before == 500);
    BOOST_TEST(wrong_before > 0); // otherwise this program shows nothing

    cv::otel::install();
    auto [reads_after, wrong_after] = run_50_requests();
    BOOST_TEST_MESSAGE("context_storage: " << wrong_after << " of " << reads_after << " reads wrong");
    BOOST_TEST(reads_after == 500);
    BOOST_TEST(wrong_after == 0);
    BOOST_TEST(current_span() == none); // nothing left on the main thread
}

// ---- Detach ---------------------------------------------------------------------

// tag::detach_non_top[]
BOOST_AUTO_TEST_CASE(detach_of_a_token_below_the_top_pops_everything_above_it)
{
    cv::otel::install();
    cv::context().run([] {
        auto a = otel_ctx::RuntimeContext::Attach(otel_ctx::Context("k", std::int64_t(1)));
        auto b = otel_ctx::RuntimeContext::Attach(otel_ctx::Context("k", std::int64_t(2)));
        auto c = otel_ctx::RuntimeContext::Attach(otel_ctx::Context("k", std::int64_t(3)));
        BOOST_TEST(otel_ctx::RuntimeContext::Detach(*b));  // pops c and b
        BOOST_TEST(nostd::get<std::int64_t>(otel_ctx::RuntimeContext::GetValue("k")) == 1);
        BOOST_TEST(!otel_ctx::RuntimeContext::Detach(*c)); // already gone
        BOOST_TEST(otel_ctx::RuntimeContext::Detach(*a));
        BOOST_TEST(!otel_ctx::RuntimeContext::GetCurrent().HasKey("k"));
    });
}
// end::detach_non_top[]

namespace {

// What one storage answers to a fixed random sequence of Attach and Detach
// (top, non-top, repeated, and of contexts attached twice): each Detach's
// result and the current value after each step.
std::vector<std::int64_t> replay(unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<nostd::unique_ptr<otel_ctx::Token>> tokens;
    std::vector<otel_ctx::Context> attached;
    std::vector<std::int64_t> out;
    for(int step = 0; step < 3000; ++step)
    {
        unsigned op = rng() % 10;
        if(op < 4 || tokens.empty())
        {
            otel_ctx::Context c = op == 0 && !attached.empty() ? attached[rng() % attached.size()]
                                                               : otel_ctx::Context("k", std::int64_t(step));
            attached.push_back(c);
            tokens.push_back(otel_ctx::RuntimeContext::Attach(c));
        }
        else
        {
            // Mostly recent tokens, so that stacks both grow and shrink.
            std::size_t back = rng() % (op < 8 ? 3 : tokens.size());
            std::size_t i = tokens.size() - 1 - (back < tokens.size() ? back : 0);
            out.push_back(otel_ctx::RuntimeContext::Detach(*tokens[i]) ? 1000000 : -1000000);
        }
        auto v = otel_ctx::RuntimeContext::GetValue("k");
        out.push_back(nostd::holds_alternative<std::int64_t>(v) ? nostd::get<std::int64_t>(v) : -1);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(detach_matches_the_default_storage_on_a_random_sequence)
{
    for(unsigned seed = 1; seed <= 5; ++seed)
    {
        use_default_storage();
        std::vector<std::int64_t> expected;
        std::thread([&] { expected = replay(seed); }).join(); // a fresh thread-local stack

        cv::otel::install();
        std::vector<std::int64_t> got;
        cv::context().run([&] { got = replay(seed); });

        BOOST_TEST_REQUIRE(got.size() == expected.size());
        std::size_t first_difference = 0;
        while(first_difference < got.size() && got[first_difference] == expected[first_difference])
        {
            ++first_difference;
        }
        BOOST_TEST(first_difference == got.size(), "seed " << seed << ": differs at step " << first_difference);
    }
}

// ---- a Scope across a co_await that resumes on another thread ------------------

namespace {

struct hop_result
{
    int moved = 0;
    int wrong = 0;
    std::size_t depth = 0; // attached contexts left when the outer scope is gone
};

awaitable<hop_result> scope_across_hops(test_support::cx_pool px, std::thread::id io_thread, std::thread::id pool_thread)
{
    hop_result r;
    auto outer_span = make_span(100);
    trace::Scope outer(outer_span);
    for(int i = 0; i < 20; ++i)
    {
        {
            trace::Scope inner(make_span(200 + i));
            co_await asio::post(px, asio::bind_executor(px, use_awaitable)); // to the pool's thread
            r.moved += test_support::current_thread_id() == pool_thread;
            r.wrong += current_span() != 200 + i;
            co_await asio::post(co_await asio::this_coro::executor, use_awaitable); // and back
            r.moved += test_support::current_thread_id() == io_thread;
            r.wrong += current_span() != 200 + i;
        } // detached here, on the io thread, the inner scope having been attached there too
        r.wrong += current_span() != 100;
        {
            trace::Scope inner(make_span(300 + i));
            co_await asio::post(px, asio::bind_executor(px, use_awaitable));
            r.wrong += current_span() != 300 + i;
        } // attached on the io thread, detached on the pool's
        r.wrong += current_span() != 100;
        co_await asio::post(co_await asio::this_coro::executor, use_awaitable);
    }
    co_return r;
}

awaitable<hop_result> scope_across_hops_then_depth(test_support::cx_pool px, std::thread::id io_thread,
    std::thread::id pool_thread, cv::otel::context_storage const* storage)
{
    hop_result r = co_await scope_across_hops(px, io_thread, pool_thread);
    r.depth = storage->depth();
    co_return r;
}

} // namespace

BOOST_FIXTURE_TEST_CASE(scope_held_across_a_co_await_on_another_thread_detaches_cleanly, test_support::bg_fixture)
{
    auto storage = cv::otel::install();
    asio::thread_pool pool(1); // outlives the io thread, which posts to it
    test_support::io_threads t(1);
    auto io_thread = test_support::thread_of(t.io.get_executor());
    auto pool_thread = test_support::thread_of(pool.get_executor());
    BOOST_TEST_REQUIRE((io_thread != pool_thread));

    auto f = asio::co_spawn(test_support::cx_io(t.io),
        scope_across_hops_then_depth(test_support::cx_pool(pool), io_thread, pool_thread, storage.get()),
        asio::use_future);
    hop_result r = test_support::wait(f);
    BOOST_TEST(r.moved == 40);
    BOOST_TEST(r.wrong == 0);
    BOOST_TEST(r.depth == 0u);

    // Neither thread keeps a span.
    auto span_or_none = [] { return current_span(); };
    for(int v: test_support::values_on_threads(t.io.get_executor(), 1, span_or_none))
    {
        BOOST_TEST(v == none);
    }
    for(int v: test_support::values_on_threads(pool.get_executor(), 1, span_or_none))
    {
        BOOST_TEST(v == none);
    }
    pool.join();
}

// ---- handlers: context_executor and bind_context ---------------------------------

BOOST_FIXTURE_TEST_CASE(handlers_see_the_span_current_where_they_were_bound, test_support::bg_fixture)
{
    cv::otel::install();
    asio::thread_pool pool(2);
    std::promise<int> posted, bound, outside;
    auto fposted = posted.get_future();
    auto fbound = bound.get_future();
    auto foutside = outside.get_future();
    cv::context().run([&] {
        auto span = make_span(7);
        trace::Scope scope(span);
        // A context_executor captures the context at submission...
        asio::post(test_support::cx_pool(pool), [&] { posted.set_value(current_span()); });
        // ... and bind_context binds a plain handler to it.
        asio::post(pool, cv::bind_context([&] { bound.set_value(current_span()); }));
        // A plain handler on a plain executor sees it only in tracking mode.
        asio::post(pool, [&] { outside.set_value(current_span()); });
    });
    BOOST_TEST(test_support::wait(fposted) == 7);
    BOOST_TEST(test_support::wait(fbound) == 7);
#if defined(BOOST_ASIO_CUSTOM_HANDLER_TRACKING)
    BOOST_TEST(test_support::wait(foutside) == 7);
#else
    BOOST_TEST(test_support::wait(foutside) == none);
#endif
    BOOST_TEST(current_span() == none); // run() left the main thread's context alone
    pool.join();
}
