// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// bind_context(token) and bind_context(ctx, token) as Asio completion tokens
// (row 4) on plain executors, with real threads, timers and loopback TCP:
// plain callbacks, deferred, use_future, detached, as_tuple, redirect_error;
// forwarding of the associated executor, allocator and cancellation slot;
// and the rows of the Asio issue that apply to a token: submission (1),
// initiation (2), strands and thread pools (5), cancellation (7) and
// exceptions (8). The coroutine rows are in co_spawn.cpp and spawn.cpp. The
// header under test, asio/bind_context.hpp, comes first, so that it is proven
// self-contained.

#include <boost/contextvars/asio/bind_context.hpp>
#include <boost/contextvars/asio.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#define BOOST_TEST_MODULE bind_context_asio
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using boost::system::error_code;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

using test_support::var, test_support::none, test_support::read, test_support::context_with,
    test_support::check_threads_clean, test_support::io_ex, test_support::cx_io;
using test_support::io_threads;
using test_support::wait;

// A completion argument that records, when the handler that received it
// destroys it, the value of `var` current at that moment: the only way to
// observe the context a `detached` handler runs in.
struct probe
{
    std::promise<int>* p = nullptr;

    explicit probe(std::promise<int>* pr): p(pr) {}
    probe(probe&& o) noexcept: p(std::exchange(o.p, nullptr)) {}
    probe& operator=(probe&&) = delete;

    ~probe()
    {
        if(p != nullptr)
        {
            p->set_value(read());
        }
    }
};

// An asynchronous operation completing with a probe, posted to `ex`.
template<class Executor, class Token>
auto async_probe(Executor ex, std::promise<int>* pr, Token&& token)
{
    return asio::async_initiate<Token, void(probe)>(
        [](auto handler, Executor ex, std::promise<int>* pr) {
            auto work = asio::prefer(ex, asio::execution::outstanding_work.tracked);
            asio::post(ex, [h = std::move(handler), work, pr]() mutable {
                (void)work;
                std::move(h)(probe(pr));
            });
        },
        token, ex, pr);
}

// An allocator that counts what it allocates.
template<class T>
struct counting_allocator
{
    using value_type = T;
    int id;
    std::shared_ptr<std::atomic<int>> count;

    counting_allocator(int i, std::shared_ptr<std::atomic<int>> c): id(i), count(std::move(c)) {}

    template<class U>
    counting_allocator(counting_allocator<U> const& o) noexcept: id(o.id), count(o.count)
    {
    }

    T* allocate(std::size_t n)
    {
        ++*count;
        return std::allocator<T>().allocate(n);
    }

    void deallocate(T* p, std::size_t n)
    {
        std::allocator<T>().deallocate(p, n);
    }

    template<class U>
    friend bool operator==(counting_allocator const& a, counting_allocator<U> const& b) noexcept
    {
        return a.id == b.id;
    }

    template<class U>
    friend bool operator!=(counting_allocator const& a, counting_allocator<U> const& b) noexcept
    {
        return a.id != b.id;
    }
};

template<class T, class = void> struct executor_marker: std::false_type {};
template<class T>
struct executor_marker<T, std::void_t<typename T::asio_associated_executor_is_unspecialised>>: std::true_type {};
template<class T, class = void> struct allocator_marker: std::false_type {};
template<class T>
struct allocator_marker<T, std::void_t<typename T::asio_associated_allocator_is_unspecialised>>: std::true_type {};
template<class T, class = void> struct slot_marker: std::false_type {};
template<class T>
struct slot_marker<T, std::void_t<typename T::asio_associated_cancellation_slot_is_unspecialised>>: std::true_type {};

} // namespace

// ===========================================================================
// Row 4: each kind of token under bind_context(token)

BOOST_FIXTURE_TEST_SUITE(tokens, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(plain_callback_timer)
{
    io_threads t(2);
    asio::steady_timer timer(t.io.get_executor(), 10ms);
    asio::steady_timer control(t.io.get_executor(), 10ms);
    std::promise<int> p, pc;
    auto f = p.get_future();
    auto fc = pc.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        timer.async_wait(cv::bind_context([&](error_code ec) {
            BG_CHECK(!ec);
            p.set_value(read());
            var.set(-1);
        }));
        control.async_wait([&](error_code) { pc.set_value(read()); }); // not bound
        var.set(2);
    });
    BOOST_TEST(wait(f) == 1);
    BOOST_TEST(wait(fc) == none); // the test can tell a bound handler from a plain one
    BOOST_TEST(*c.get(var) == 2);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(deferred_captures_at_launch)
{
    io_threads t(2);
    asio::steady_timer timer(t.io.get_executor(), 10ms);
    std::promise<int> p;
    auto f = p.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        auto op = timer.async_wait(cv::bind_context(asio::deferred)); // written, not started
        var.set(2);
        std::move(op)([&](error_code ec) { // launched here
            BG_CHECK(!ec);
            p.set_value(read());
            var.set(-2);
        });
        var.set(3);
    });
    BOOST_TEST(wait(f) == 2);
    check_threads_clean(t.io.get_executor(), 2);
}

// bind_context(deferred(f)): f runs as the handler of the first operation,
// in the launch-time context. The final token is handed to the operation f
// returns, which is initiated inside f: bind_context(h) captures there.
BOOST_AUTO_TEST_CASE(deferred_chain)
{
    io_threads t(2);
    asio::steady_timer timer(t.io.get_executor(), 5ms);
    std::promise<int> step, p;
    auto fs = step.get_future();
    auto f = p.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        auto op = timer.async_wait(cv::bind_context(asio::deferred([&](error_code) {
            step.set_value(read()); // the handler of the first wait
            var.set(7);             // current when the second wait is initiated
            timer.expires_after(5ms);
            return timer.async_wait(asio::deferred);
        })));
        var.set(2);
        std::move(op)(cv::bind_context([&](error_code) { p.set_value(read()); }));
        var.set(3);
    });
    BOOST_TEST(wait(fs) == 2);
    BOOST_TEST(wait(f) == 7);
    check_threads_clean(t.io.get_executor(), 2);
}

// The decision for a plain final handler: like bind_executor, bind_context
// binds only the handler of the operation it is the token of (here f). The
// final handler goes to the operation f returns, so it runs in the context
// that operation's executor gives it: none on a plain executor, the context
// current inside f (which initiated it) on a context_executor.
BOOST_AUTO_TEST_CASE(deferred_chain_plain_final_handler)
{
    io_threads t(2);
    auto run_chain = [&](auto executor) {
        asio::steady_timer timer(executor, 5ms);
        std::promise<int> p;
        auto f = p.get_future();
        cv::context c;
        c.run([&] {
            var.set(1);
            auto op = timer.async_wait(cv::bind_context(asio::deferred([&](error_code) {
                var.set(7);
                timer.expires_after(5ms);
                return timer.async_wait(asio::deferred);
            })));
            var.set(2);
            std::move(op)([&](error_code) { p.set_value(read()); }); // plain final handler
            var.set(3);
        });
        return wait(f);
    };
    BOOST_TEST(run_chain(t.io.get_executor()) == none);
    BOOST_TEST(run_chain(cx_io(t.io)) == 7);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(use_future)
{
    io_threads t(2);
    asio::steady_timer t1(t.io.get_executor(), 10ms);
    asio::steady_timer t2(t.io.get_executor(), 10ms);
    cv::context c;
    std::future<int> f1;
    std::future<void> f2;
    c.run([&] {
        var.set(1);
        f1 = t1.async_wait(cv::bind_context(asio::use_future([](error_code) { return read(); })));
        var.set(2);
        f2 = t2.async_wait(cv::bind_context(asio::use_future));
        var.set(3);
    });
    BOOST_TEST(wait(f1) == 1);
    f2.wait();
    BOOST_CHECK_NO_THROW(f2.get());
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(detached)
{
    io_threads t(2);
    std::promise<int> bound, unbound;
    auto fb = bound.get_future();
    auto fu = unbound.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        async_probe(t.io.get_executor(), &bound, cv::bind_context(asio::detached));
        async_probe(t.io.get_executor(), &unbound, asio::detached);
        var.set(2);
    });
    BOOST_TEST(wait(fb) == 1);
    BOOST_TEST(wait(fu) == none);

    std::promise<int> explicit_ctx;
    auto fe = explicit_ctx.get_future();
    cv::context ctx = context_with(5);
    async_probe(t.io.get_executor(), &explicit_ctx, cv::bind_context(ctx, asio::detached));
    BOOST_TEST(wait(fe) == 5);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(as_tuple_both_orders)
{
    io_threads t(2);
    asio::steady_timer t1(t.io.get_executor(), 10ms);
    asio::steady_timer t2(t.io.get_executor(), 10ms);
    std::promise<int> p1, p2;
    auto f1 = p1.get_future();
    auto f2 = p2.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        t1.async_wait(cv::bind_context(asio::as_tuple([&](std::tuple<error_code> r) {
            BG_CHECK(!std::get<0>(r));
            p1.set_value(read());
        })));
        var.set(2);
        t2.async_wait(asio::as_tuple(cv::bind_context([&](std::tuple<error_code> r) {
            BG_CHECK(!std::get<0>(r));
            p2.set_value(read());
        })));
        var.set(3);
    });
    BOOST_TEST(wait(f1) == 1);
    BOOST_TEST(wait(f2) == 2);
    check_threads_clean(t.io.get_executor(), 2);
}

// (The other order, redirect_error(bind_context(h), ec), is in
// bind_context_nested_token.cpp.)
BOOST_AUTO_TEST_CASE(redirect_error)
{
    io_threads t(2);
    asio::steady_timer t1(t.io.get_executor(), 1h);
    std::promise<int> p1;
    auto f1 = p1.get_future();
    error_code ec1;
    cv::context c;
    c.run([&] {
        var.set(1);
        t1.async_wait(cv::bind_context(asio::redirect_error([&] { p1.set_value(read()); }, ec1)));
        var.set(3);
    });
    asio::post(t.io.get_executor(), [&] { t1.cancel(); });
    BOOST_TEST(wait(f1) == 1);
    BOOST_TEST((ec1 == asio::error::operation_aborted));
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// bind_context(ctx, token): an explicit context

BOOST_FIXTURE_TEST_SUITE(explicit_context, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(handler_runs_in_copy_of_ctx)
{
    io_threads t(2);
    asio::steady_timer timer(t.io.get_executor(), 10ms);
    cv::context ctx = context_with(5);
    std::promise<std::array<int, 2>> p;
    auto f = p.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        timer.async_wait(cv::bind_context(ctx, [&](error_code) {
            int seen = read();
            var.set(6);
            p.set_value({seen, read()});
        }));
        var.set(2);
    });
    auto r = wait(f);
    BOOST_TEST(r[0] == 5);
    BOOST_TEST(r[1] == 6);
    BOOST_TEST_REQUIRE(ctx.get(var) != nullptr);
    BOOST_TEST(*ctx.get(var) == 5); // ctx unchanged
    BOOST_TEST(ctx.size() == 1u);
    BOOST_TEST(*c.get(var) == 2);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(deferred_with_explicit_context)
{
    io_threads t(2);
    asio::steady_timer timer(t.io.get_executor(), 10ms);
    cv::context ctx = context_with(5);
    std::promise<int> p;
    auto f = p.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        auto op = timer.async_wait(cv::bind_context(ctx, asio::deferred));
        var.set(2);
        std::move(op)([&](error_code) { p.set_value(read()); });
    });
    BOOST_TEST(wait(f) == 5);
    BOOST_TEST(*ctx.get(var) == 5);
}

// One ctx shared by 100 handlers on 2 threads, half of them while ctx is
// entered on the main thread: handlers never enter ctx itself.
BOOST_AUTO_TEST_CASE(one_ctx_shared_by_100_handlers)
{
    io_threads t(2);
    cv::context ctx = context_with(5);
    constexpr int n = 100;
    std::vector<std::unique_ptr<asio::steady_timer>> timers;
    for(int i = 0; i < n; ++i)
    {
        timers.push_back(std::make_unique<asio::steady_timer>(t.io.get_executor(), std::chrono::milliseconds(i % 5)));
    }
    std::atomic<int> mismatches{0};
    std::atomic<int> reads{0};
    std::atomic<int> done{0};
    std::promise<void> all;
    auto fut = all.get_future();
    std::mutex m;
    std::set<std::thread::id> ids;

    auto handler = [&](int i, int expected) {
        return [&, i, expected](error_code) {
            {
                std::lock_guard<std::mutex> lock(m);
                ids.insert(std::this_thread::get_id());
            }
            ++reads;
            if(read() != expected)
            {
                ++mismatches;
            }
            var.set(i);
            std::this_thread::yield();
            for(int k = 0; k < 50; ++k)
            {
                ++reads;
                if(read() != i)
                {
                    ++mismatches;
                }
                var.set(i + k % 2);
                var.set(i);
            }
            if(++done == n)
            {
                all.set_value();
            }
        };
    };

    ctx.run([&] {
        var.set(7); // changes ctx itself: a handler gets ctx's values at bind time
        for(int i = 0; i < n / 2; ++i)
        {
            timers[i]->async_wait(cv::bind_context(ctx, handler(i, 7)));
        }
        // Stay entered while the handlers above run on the io threads.
        std::this_thread::sleep_for(20ms);
        var.set(5);
    });
    for(int i = n / 2; i < n; ++i)
    {
        timers[i]->async_wait(cv::bind_context(ctx, handler(i, 5)));
    }
    wait(fut);
    BOOST_TEST(mismatches.load() == 0);
    BOOST_TEST(reads.load() == n * 51);
    BOOST_TEST(ids.size() >= 1u);
    BOOST_TEST_MESSAGE("100 handlers sharing one ctx ran on " << ids.size() << " thread(s)");
    BOOST_TEST(*ctx.get(var) == 5);
    BOOST_TEST(ctx.size() == 1u);
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// Associated executor, allocator and cancellation slot are forwarded

BOOST_FIXTURE_TEST_SUITE(associators, test_support::bg_fixture)

BOOST_AUTO_TEST_CASE(markers_survive)
{
    auto lambda = [](error_code) {};
    using L = decltype(lambda);
    using B = cv::context_binder<L>;
    using any = asio::any_io_executor;
    static_assert(executor_marker<asio::associated_executor<L, any>>::value, "precondition");
    static_assert(executor_marker<asio::associated_executor<B, any>>::value,
        "bind_context must keep asio_associated_executor_is_unspecialised");
    static_assert(allocator_marker<asio::associated_allocator<B, std::allocator<void>>>::value,
        "bind_context must keep asio_associated_allocator_is_unspecialised");
    static_assert(slot_marker<asio::associated_cancellation_slot<B, asio::cancellation_slot>>::value,
        "bind_context must keep asio_associated_cancellation_slot_is_unspecialised");
    // ... and a specialised association is not marked.
    using S = cv::context_binder<asio::executor_binder<L, asio::strand<io_ex>>>;
    static_assert(!executor_marker<asio::associated_executor<S, any>>::value, "");
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(associated_executor_strand)
{
    io_threads t(2);
    auto strand = asio::make_strand(t.io);
    asio::steady_timer timer(t.io.get_executor(), 10ms);
    std::promise<std::array<int, 2>> p;
    auto f = p.get_future();
    auto h = asio::bind_executor(strand, [&](error_code) {
        p.set_value({strand.running_in_this_thread() ? 1 : 0, read()});
    });
    cv::context c;
    c.run([&] {
        var.set(1);
        auto b = cv::bind_context(std::move(h));
        BOOST_TEST((asio::get_associated_executor(b) == strand));
        BOOST_TEST((asio::get_associated_executor(b, t.io.get_executor()) == strand));
        timer.async_wait(std::move(b));
        var.set(2);
    });
    auto r = wait(f);
    BOOST_TEST(r[0] == 1); // ran in the strand
    BOOST_TEST(r[1] == 1); // in the initiation context

    // Without a bound executor, the default candidate is returned.
    auto plain = cv::bind_context([](error_code) {});
    BOOST_TEST((asio::get_associated_executor(plain, t.io.get_executor()) == t.io.get_executor()));
    check_threads_clean(t.io.get_executor(), 2);
}

// Many handlers on one strand, each bound to its own context.
BOOST_AUTO_TEST_CASE(strand_serialises_bound_handlers)
{
    io_threads t(2);
    auto strand = asio::make_strand(t.io);
    constexpr int n = 200;
    std::vector<int> seen(n, -2);
    std::atomic<int> running{0};
    std::atomic<int> overlap{0};
    std::atomic<int> done{0};
    std::promise<void> all;
    auto fut = all.get_future();
    cv::context c;
    c.run([&] {
        for(int i = 0; i < n; ++i)
        {
            var.set(i);
            asio::post(t.io.get_executor(), cv::bind_context(asio::bind_executor(strand, [&, i] {
                if(running.fetch_add(1) != 0)
                {
                    ++overlap;
                }
                seen[i] = read();
                var.set(-1);
                running.fetch_sub(1);
                if(++done == n)
                {
                    all.set_value();
                }
            })));
        }
    });
    wait(fut);
    BOOST_TEST(overlap.load() == 0);
    for(int i = 0; i < n; ++i)
    {
        BOOST_TEST(seen[i] == i);
    }
    check_threads_clean(t.io.get_executor(), 2);
}

BOOST_AUTO_TEST_CASE(associated_allocator)
{
    io_threads t(1);
    auto count = std::make_shared<std::atomic<int>>(0);
    counting_allocator<void> alloc(7, count);
    asio::steady_timer timer(t.io.get_executor(), 5ms);
    std::promise<int> p;
    auto f = p.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        auto b = cv::bind_context(asio::bind_allocator(alloc, [&](error_code) { p.set_value(read()); }));
        BOOST_TEST(asio::get_associated_allocator(b).id == 7);
        timer.async_wait(std::move(b));
        var.set(2);
    });
    BOOST_TEST(wait(f) == 1);
    BOOST_TEST(count->load() >= 1); // the operation was allocated with it
    BOOST_TEST((asio::get_associated_allocator(cv::bind_context([] {})) == std::allocator<void>()));
}

// Row 7 with bind_context: cancellation through the forwarded slot; the
// completion runs in the initiation context. (The other nesting,
// bind_cancellation_slot(slot, bind_context(h)): bind_context_nested_token.cpp.)
BOOST_AUTO_TEST_CASE(associated_cancellation_slot)
{
    io_threads t(1); // cancellation slots are not thread-safe: emit on the io thread
    asio::steady_timer t1(t.io.get_executor(), 1h);
    asio::cancellation_signal s1;
    std::promise<std::array<int, 2>> p1;
    auto f1 = p1.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        auto b = cv::bind_context(asio::bind_cancellation_slot(s1.slot(), [&](error_code ec) {
            p1.set_value({ec == asio::error::operation_aborted ? 1 : 0, read()});
        }));
        BOOST_TEST((asio::get_associated_cancellation_slot(b) == s1.slot()));
        t1.async_wait(std::move(b));
        var.set(2);
    });
    std::promise<int> emitter;
    auto fe = emitter.get_future();
    cv::context e = context_with(9);
    asio::post(t.io.get_executor(), cv::bind_context(e, [&] {
        s1.emit(asio::cancellation_type::all); // the cancellation handler runs here, in a copy of e
        emitter.set_value(read());
    }));
    BOOST_TEST(wait(fe) == 9);
    auto r1 = wait(f1);
    BOOST_TEST(r1[0] == 1); // cancelled
    BOOST_TEST(r1[1] == 1); // the completion: initiation context
    check_threads_clean(t.io.get_executor(), 1);
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
// Rows 1, 2, 5 and 8 with bind_context on plain executors

BOOST_FIXTURE_TEST_SUITE(rows, test_support::bg_fixture)

// Row 1: post, dispatch and defer with a bound handler.
BOOST_AUTO_TEST_CASE(submission)
{
    io_threads t(2);
    asio::thread_pool pool(2);
    constexpr int rounds = 50;
    constexpr int total = rounds * 6;
    std::vector<int> seen(total, -2);
    std::atomic<int> done{0};
    std::promise<void> all;
    auto fut = all.get_future();
    auto fn = [&](int slot) {
        return cv::bind_context([&, slot] {
            seen[slot] = read();
            var.set(-1);
            if(++done == total)
            {
                all.set_value();
            }
        });
    };
    cv::context c;
    c.run([&] {
        for(int r = 0; r < rounds; ++r)
        {
            var.set(r);
            asio::post(t.io.get_executor(), fn(r * 6 + 0));
            asio::dispatch(t.io.get_executor(), fn(r * 6 + 1));
            asio::defer(t.io.get_executor(), fn(r * 6 + 2));
            asio::post(pool, fn(r * 6 + 3));
            asio::dispatch(pool.get_executor(), fn(r * 6 + 4));
            asio::post(asio::any_io_executor(t.io.get_executor()), fn(r * 6 + 5));
        }
        wait(fut);
        BOOST_TEST(read() == rounds - 1);
    });
    for(int i = 0; i < total; ++i)
    {
        BOOST_TEST(seen[i] == i / 6);
    }
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 2);
    pool.join();
}

// Row 2: the I/O objects, with bound plain callbacks.
BOOST_AUTO_TEST_CASE(initiation_io_objects)
{
    io_threads t(2);
    auto ex = t.io.get_executor();
    tcp::acceptor acc(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    tcp::socket client(ex), server(ex);
    tcp::resolver resolver(ex);
    asio::signal_set sigs(ex, SIGUSR2);
    std::promise<int> accepted, connected, written, read_done, resolved, signalled;
    auto fa = accepted.get_future();
    auto fc = connected.get_future();
    auto fw = written.get_future();
    auto fr = read_done.get_future();
    auto fres = resolved.get_future();
    auto fs = signalled.get_future();
    std::array<char, 4> out{{'p', 'i', 'n', 'g'}};
    std::array<char, 4> in{};

    cv::context c;
    c.run([&] {
        var.set(20);
        acc.async_accept(cv::bind_context([&](error_code ec, tcp::socket s) {
            BG_CHECK(!ec);
            server = std::move(s);
            accepted.set_value(read());
        }));
        var.set(10);
        client.async_connect(acc.local_endpoint(), cv::bind_context([&](error_code ec) {
            BG_CHECK(!ec);
            connected.set_value(read());
        }));
        var.set(50);
        resolver.async_resolve("127.0.0.1", "0", cv::bind_context([&](error_code ec, tcp::resolver::results_type) {
            BG_CHECK(!ec);
            resolved.set_value(read());
        }));
        var.set(60);
        sigs.async_wait(cv::bind_context([&](error_code ec, int) {
            BG_CHECK(!ec);
            signalled.set_value(read());
        }));
        var.set(61);
        std::raise(SIGUSR2);
    });
    BOOST_TEST(wait(fa) == 20);
    BOOST_TEST(wait(fc) == 10);
    BOOST_TEST(wait(fres) == 50);
    BOOST_TEST(wait(fs) == 60);
    c.run([&] {
        var.set(40);
        asio::async_read(server, asio::buffer(in), cv::bind_context([&](error_code ec, std::size_t) {
            BG_CHECK(!ec);
            read_done.set_value(read());
        }));
        var.set(30);
        asio::async_write(client, asio::buffer(out), cv::bind_context([&](error_code ec, std::size_t) {
            BG_CHECK(!ec);
            written.set_value(read());
        }));
        var.set(31);
    });
    BOOST_TEST(wait(fw) == 30);
    BOOST_TEST(wait(fr) == 40);
    BOOST_TEST(std::string(in.begin(), in.end()) == "ping");
    check_threads_clean(t.io.get_executor(), 2);
}

// Row 5: timers on a strand and on a thread pool.
BOOST_AUTO_TEST_CASE(strand_and_thread_pool)
{
    io_threads t(2);
    asio::thread_pool pool(2);
    asio::steady_timer ts(asio::make_strand(t.io), 5ms);
    asio::steady_timer tp(pool.get_executor(), 5ms);
    std::promise<int> p1, p2;
    auto f1 = p1.get_future();
    auto f2 = p2.get_future();
    cv::context c;
    c.run([&] {
        var.set(1);
        ts.async_wait(cv::bind_context([&](error_code) { p1.set_value(read()); var.set(-1); }));
        var.set(2);
        tp.async_wait(cv::bind_context([&](error_code) { p2.set_value(read()); var.set(-1); }));
        var.set(3);
    });
    BOOST_TEST(wait(f1) == 1);
    BOOST_TEST(wait(f2) == 2);
    check_threads_clean(t.io.get_executor(), 2);
    check_threads_clean(pool.get_executor(), 2);
    pool.join();
}

// Row 8: a bound handler that throws out of run() leaves the thread's
// context exactly as before.
BOOST_AUTO_TEST_CASE(exceptions)
{
    asio::io_context io(1);
    asio::steady_timer timer(io, 5ms);
    auto before = var.set(5);
    std::vector<int> seen;
    cv::context c;
    c.run([&] {
        var.set(9);
        asio::post(io, cv::bind_context([&] {
            seen.push_back(read());
            var.set(6);
            throw std::runtime_error("post");
        }));
        var.set(10);
        timer.async_wait(cv::bind_context([&](error_code) {
            seen.push_back(read());
            var.set(6);
            throw std::runtime_error("timer");
        }));
    });
    cv::context ctx = context_with(11);
    asio::post(io, cv::bind_context(ctx, [&] {
        seen.push_back(read());
        throw std::runtime_error("explicit");
    }));
    int caught = test_support::run_through_exceptions<std::runtime_error>(io, [] { BOOST_TEST(read() == 5); });
    BOOST_TEST(caught == 3);
    std::sort(seen.begin(), seen.end());
    BOOST_TEST(seen == (std::vector<int>{9, 10, 11}), boost::test_tools::per_element());
    BOOST_TEST(*ctx.get(var) == 11);
    BOOST_CHECK_NO_THROW(var.reset(before)); // still the same context
    BOOST_TEST(read() == none);
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 11: a bind_context completion handler (not a coroutine resuming) runs
// in a new context, as Python's add_done_callback: a token made before the
// initiation is foreign there, and resetting it raises.
BOOST_AUTO_TEST_CASE(issue11_bound_completion_handler_cannot_reset_an_earlier_token)
{
    asio::io_context io;
    asio::steady_timer timer(io, 1ms); // a plain executor: bind_context does the capture
    std::string error = "not run";
    int seen = -2;
    std::shared_ptr<cv::token<int>> t;
    cv::context c;
    c.run([&] {
        t = std::make_shared<cv::token<int>>(var.set(1));
        timer.async_wait(cv::bind_context([&](error_code) {
            seen = read();
            try
            {
                var.reset(*t);
                error = "";
            }
            catch(cv::token_error const& e)
            {
                error = e.what();
            }
        }));
    });
    io.run();
    BOOST_TEST(seen == 1);
    BOOST_TEST(error.find("different context") != std::string::npos, error);
    BOOST_TEST(!t->used());
    c.run([&] { var.reset(*t); });
    BOOST_TEST(!c.contains(var));
}
