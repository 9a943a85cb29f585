// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Soak: 10,000 coroutines on an io_context run by 2 threads plus a
// thread_pool(2), each with its own values in three context variables (int,
// std::string, shared_ptr<const X>), each doing at least 50 mixed suspensions:
// timers with random 0-2 ms expiries, posts to the pool's context_executor and
// back, hops of the coroutine itself onto a pool thread and back, loopback TCP
// round trips to an echo server (a fixed pool of 16 connections, so 32 sockets), set/reset and
// scoped_set spanning a suspension, and nested co_spawn children (on the
// io_context or the pool) that set other values and sometimes leave a detached
// grandchild behind. Every read of every variable is checked against what the
// coroutine expects. At the end every context must have been released: no X
// is alive (X counts its instances) and every coroutine's weak_ptr has expired,
// checked once the io_context has run out of work and before it is destroyed.
//
// SOAK_SCALE (default 1) scales the number of coroutines (at least 100); CI's
// sanitizer and valgrind jobs use a smaller scale. The number of suspensions
// per coroutine is never scaled.

#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>

#define BOOST_TEST_MODULE soak
#include <boost/test/unit_test.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

namespace {

// ---- counted values ---------------------------------------------------------------

std::atomic<long> live_x{0};

struct X
{
    int id;
    explicit X(int i): id(i) { live_x.fetch_add(1, std::memory_order_relaxed); }
    X(X const&) = delete;
    X& operator=(X const&) = delete;
    ~X() { live_x.fetch_sub(1, std::memory_order_relaxed); }
};

cv::context_var<int> v_int("soak.int");
cv::context_var<std::string> v_str("soak.str");
cv::context_var<std::shared_ptr<X const>> v_ptr("soak.ptr");

// ---- figures and failures ---------------------------------------------------------

std::atomic<std::uint64_t> g_suspensions{0}, g_reads{0}, g_round_trips{0}, g_children{0}, g_hops{0};
std::atomic<std::uint64_t> g_failures{0};
std::mutex g_fail_mutex;
std::vector<std::string> g_fail_messages;
std::map<std::string, std::uint64_t> g_fail_sites; // where -> count

void fail_at(char const* where)
{
    std::lock_guard<std::mutex> lock(g_fail_mutex);
    ++g_fail_sites[where];
}

void fail(std::string msg)
{
    if(g_failures.fetch_add(1) < 20)
    {
        std::lock_guard<std::mutex> lock(g_fail_mutex);
        g_fail_messages.push_back(std::move(msg));
    }
}

// What a coroutine expects to read.
struct expected
{
    int i;
    std::string s;
    X const* p;
};

// Reads the three vars and compares; counts three reads.
void check(expected const& e, std::uint64_t& reads, char const* where, int who)
{
    reads += 3;
    int const* pi = v_int.try_get();
    std::string const* ps = v_str.try_get();
    std::shared_ptr<X const> const* pp = v_ptr.try_get();
    bool ok = pi && *pi == e.i && ps && *ps == e.s && pp && pp->get() == e.p && (!e.p || (*pp)->id == e.p->id);
    if(!ok)
    {
        fail_at(where);
        fail(std::string("coroutine ") + std::to_string(who) + " at " + where + ": read int=" +
            (pi ? std::to_string(*pi) : "<none>") + " str=" + (ps ? *ps : "<none>") + " ptr id=" +
            (pp && *pp ? std::to_string((*pp)->id) : "<none>") + ", expected int=" + std::to_string(e.i) +
            " str=" + e.s + " ptr id=" + (e.p ? std::to_string(e.p->id) : "<none>"));
    }
}

std::string long_string(char const* kind, int id, int k)
{
    // Longer than the small-string buffer: a freed or shared string shows up under ASan/valgrind.
    return std::string(kind) + "-" + std::to_string(id) + "-" + std::to_string(k) + "-padding-padding";
}

// A fixed set of client connections shared by all coroutines, with a FIFO of
// waiters. Written as a custom asynchronous operation the way Asio's own are:
// the initiation takes a tracked executor from the handler (which, under a
// context_executor, pins the waiter's context) and the completion is
// dispatched through it. (Not an asio channel: a channel completes a waiting
// receive in the sender's context, a library bug reproduced by
// test/channel_context.cpp.)
class connection_pool
{
public:
    void add(tcp::socket* s)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        free_.push_back(s);
    }

    template<class Token>
    auto async_acquire(Token&& token)
    {
        return asio::async_initiate<Token, void(tcp::socket*)>(
            [this](auto handler) {
                auto work = asio::prefer(asio::get_associated_executor(handler),
                    asio::execution::outstanding_work.tracked);
                std::unique_lock<std::mutex> lock(mutex_);
                if(free_.empty())
                {
                    waiters_.push_back(waiter{std::move(handler), work});
                    return;
                }
                tcp::socket* s = free_.back();
                free_.pop_back();
                lock.unlock();
                asio::dispatch(work, [h = std::move(handler), s]() mutable { std::move(h)(s); });
            },
            token);
    }

    void release(tcp::socket* s)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if(waiters_.empty())
        {
            free_.push_back(s);
            return;
        }
        waiter w = std::move(waiters_.front());
        waiters_.pop_front();
        lock.unlock();
        asio::dispatch(w.work, [h = std::move(w.handler), s]() mutable { std::move(h)(s); });
    }

private:
    struct waiter
    {
        asio::any_completion_handler<void(tcp::socket*)> handler;
        asio::any_io_executor work;
    };

    std::mutex mutex_;
    std::vector<tcp::socket*> free_;
    std::deque<waiter> waiters_;
};

struct soak_env
{
    asio::io_context& ioc;
    asio::thread_pool& pool;
    cv::context_executor<asio::io_context::executor_type> cx_io;
    cv::context_executor<asio::thread_pool::executor_type> cx_pool;
    connection_pool conns;
    std::vector<std::weak_ptr<X const>>& weak; // one per coroutine, to its X
};

asio::awaitable<void> sleep_for(std::chrono::microseconds d)
{
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(use_awaitable);
}

// A detached grandchild: outlives the child that spawned it.
asio::awaitable<void> grandchild(soak_env& env, expected e, int who)
{
    std::uint64_t reads = 0, susp = 0;
    check(e, reads, "grandchild start", who);
    co_await sleep_for(std::chrono::microseconds(who % 1500));
    ++susp;
    check(e, reads, "grandchild after timer", who);
    auto t = v_int.set(e.i - 1);
    co_await asio::post(env.cx_pool, use_awaitable);
    ++susp;
    expected e2 = e;
    e2.i = e.i - 1;
    check(e2, reads, "grandchild after post", who);
    v_int.reset(t);
    check(e, reads, "grandchild after reset", who);
    g_reads += reads;
    g_suspensions += susp;
}

// A nested child: sees the parent's values, sets its own, suspends, returns.
asio::awaitable<void> child(soak_env& env, expected parent, int who, unsigned seed)
{
    std::minstd_rand rng(seed);
    std::uint64_t reads = 0, susp = 0;
    check(parent, reads, "child start", who);
    auto px = std::make_shared<X const>(-who - 1);
    expected mine{-who - 1, long_string("child", who, static_cast<int>(seed % 1000)), px.get()};
    v_int.set(mine.i);
    v_str.set(mine.s);
    v_ptr.set(std::move(px));
    check(mine, reads, "child after set", who);
    int n = 1 + static_cast<int>(rng() % 3);
    for(int k = 0; k < n; ++k)
    {
        if(rng() % 2)
        {
            co_await sleep_for(std::chrono::microseconds(rng() % 1001));
        }
        else
        {
            co_await asio::post(env.cx_pool, use_awaitable);
        }
        ++susp;
        check(mine, reads, "child after suspension", who);
    }
    if(rng() % 4 == 0)
    {
        g_children.fetch_add(1, std::memory_order_relaxed);
        asio::co_spawn(co_await asio::this_coro::executor, grandchild(env, mine, who), asio::detached);
    }
    g_reads += reads;
    g_suspensions += susp;
}

// One loopback round trip on a pooled connection.
asio::awaitable<void> round_trip(soak_env& env, expected const& e, int who, int k, std::uint64_t& susp,
    std::uint64_t& reads)
{
    tcp::socket* s = co_await env.conns.async_acquire(use_awaitable);
    ++susp;
    check(e, reads, "after taking a connection", who);
    char out[32] = {}, in[32] = {};
    std::snprintf(out, sizeof out, "%010d:%010d:echo!!!!", who, k);
    co_await asio::async_write(*s, asio::buffer(out, sizeof out), use_awaitable);
    ++susp;
    check(e, reads, "after async_write", who);
    co_await asio::async_read(*s, asio::buffer(in, sizeof in), use_awaitable);
    ++susp;
    check(e, reads, "after async_read", who);
    env.conns.release(s);
    if(std::memcmp(in, out, sizeof in) != 0)
    {
        fail("coroutine " + std::to_string(who) + ": echo mismatch");
    }
    g_round_trips.fetch_add(1, std::memory_order_relaxed);
}

asio::awaitable<void> worker(soak_env& env, int who)
{
    std::minstd_rand rng(static_cast<unsigned>(who) * 2654435761u + 1);
    std::uint64_t reads = 0, susp = 0;

    // The int was set by main before co_spawn: the coroutine starts in a copy of that context.
    {
        int const* p = v_int.try_get();
        ++reads;
        if(!p || *p != who)
        {
            fail("coroutine " + std::to_string(who) + " did not start with the spawning context's value");
        }
    }
    auto px = std::make_shared<X const>(who);
    env.weak[static_cast<std::size_t>(who)] = px;
    expected e{who, long_string("worker", who, 0), px.get()};
    v_str.set(e.s);
    v_ptr.set(std::move(px));
    check(e, reads, "start", who);

    for(int k = 0; susp < 50 || k < 20; ++k)
    {
        if(k % 10 == 9)
        {
            co_await round_trip(env, e, who, k, susp, reads);
            check(e, reads, "after tcp round trip", who);
            continue;
        }
        unsigned r = rng() % 100;
        if(r < 45)
        {
            co_await sleep_for(std::chrono::microseconds(rng() % 2001));
            ++susp;
            check(e, reads, "after timer", who);
        }
        else if(r < 58)
        {
            // The pool's context_executor and back.
            co_await asio::post(env.cx_pool, use_awaitable);
            ++susp;
            check(e, reads, "after post to the pool", who);
        }
        else if(r < 70)
        {
            // The coroutine itself moves to a pool thread, reads there, and comes back.
            co_await asio::post(asio::bind_executor(env.cx_pool, use_awaitable));
            ++susp;
            g_hops.fetch_add(1, std::memory_order_relaxed);
            if(!env.pool.get_executor().running_in_this_thread())
            {
                fail("coroutine " + std::to_string(who) + " did not move to the pool");
            }
            check(e, reads, "on a pool thread", who);
            co_await asio::post(asio::bind_executor(env.cx_io, use_awaitable));
            ++susp;
            if(!env.ioc.get_executor().running_in_this_thread())
            {
                fail("coroutine " + std::to_string(who) + " did not come back to the io_context");
            }
            check(e, reads, "back from the pool", who);
        }
        else if(r < 82)
        {
            // A nested child on the io_context or on the pool.
            g_children.fetch_add(1, std::memory_order_relaxed);
            if(rng() % 2)
            {
                co_await asio::co_spawn(env.cx_pool, child(env, e, who, static_cast<unsigned>(rng())), use_awaitable);
            }
            else
            {
                co_await asio::co_spawn(env.cx_io, child(env, e, who, static_cast<unsigned>(rng())), use_awaitable);
            }
            ++susp;
            check(e, reads, "after child", who);
        }
        else if(r < 94)
        {
            // set, suspend (maybe resuming on the other thread), read, reset.
            expected e2{who * 1000 + k, long_string("set", who, k), e.p};
            auto ti = v_int.set(e2.i);
            auto ts = v_str.set(e2.s);
            check(e2, reads, "after set", who);
            co_await sleep_for(std::chrono::microseconds(rng() % 501));
            ++susp;
            check(e2, reads, "after set and timer", who);
            if(rng() % 3 == 0)
            {
                e = e2; // keep the new values
            }
            else
            {
                v_str.reset(ts);
                v_int.reset(ti);
            }
            check(e, reads, "after reset", who);
        }
        else
        {
            // scoped_set across a suspension.
            expected e2 = e;
            e2.i = -k;
            {
                cv::scoped_set<int> g(v_int, -k);
                co_await asio::post(env.cx_pool, use_awaitable);
                ++susp;
                check(e2, reads, "inside scoped_set", who);
            }
            check(e, reads, "after scoped_set", who);
        }
    }
    g_reads += reads;
    g_suspensions += susp;
}

asio::awaitable<void> echo(tcp::socket s)
{
    char buf[256];
    for(;;)
    {
        auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), asio::as_tuple(use_awaitable));
        if(ec)
        {
            co_return;
        }
        co_await asio::async_write(s, asio::buffer(buf, n), use_awaitable);
    }
}

double scale()
{
    if(char const* e = std::getenv("SOAK_SCALE"))
    {
        return std::atof(e);
    }
    return 1.0;
}

long peak_rss_kib()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

} // namespace

BOOST_AUTO_TEST_CASE(soak)
{
    int const coroutines = std::max(100, static_cast<int>(10000 * scale()));
    constexpr int connections = 16;
    auto const start = std::chrono::steady_clock::now();

    std::vector<std::weak_ptr<X const>> weak(static_cast<std::size_t>(coroutines));
    std::atomic<int> done{0};
    std::atomic<int> errors{0};
    {
        asio::io_context ioc(2);
        asio::thread_pool pool(2);
        soak_env env{ioc, pool, cv::make_context_executor(ioc), cv::make_context_executor(pool.get_executor()), {},
            weak};

        // The echo server and the connection pool, set up before the threads start.
        tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        std::vector<std::unique_ptr<tcp::socket>> clients;
        for(int i = 0; i < connections; ++i)
        {
            clients.push_back(std::make_unique<tcp::socket>(ioc));
            clients.back()->connect(acceptor.local_endpoint());
            clients.back()->set_option(tcp::no_delay(true));
            tcp::socket server = acceptor.accept();
            server.set_option(tcp::no_delay(true));
            asio::co_spawn(ioc, echo(std::move(server)), asio::detached);
            env.conns.add(clients.back().get());
        }
        acceptor.close();

        auto shutdown = [&] {
            // After the last worker: close the client side, so that the echo
            // coroutines see EOF and the io_context runs out of work.
            asio::post(ioc, [&] {
                for(auto& c: clients)
                {
                    boost::system::error_code ignored;
                    c->shutdown(tcp::socket::shutdown_both, ignored);
                    c->close(ignored);
                }
            });
        };
        auto on_done = [&](std::exception_ptr e) {
            if(e)
            {
                try
                {
                    std::rethrow_exception(e);
                }
                catch(std::exception const& x)
                {
                    fail(std::string("coroutine threw: ") + x.what());
                }
                errors.fetch_add(1);
            }
            if(done.fetch_add(1) + 1 == coroutines)
            {
                shutdown();
            }
        };

        // Each coroutine is spawned from its own context holding its int:
        // even ones on a context_executor, odd ones on the plain executor with
        // a bind_context completion token.
        for(int i = 0; i < coroutines; ++i)
        {
            cv::context c;
            c.run([&] {
                v_int.set(i);
                if(i % 2 == 0)
                {
                    asio::co_spawn(env.cx_io, worker(env, i), on_done);
                }
                else
                {
                    asio::co_spawn(ioc.get_executor(), worker(env, i), cv::bind_context(on_done));
                }
            });
        }
        std::vector<std::thread> threads;
        for(int t = 0; t < 2; ++t)
        {
            threads.emplace_back([&] { ioc.run(); });
        }
        for(auto& t: threads)
        {
            t.join();
        }
        pool.join();

        // Every handler has run and the io_context is out of work: every
        // context must be gone by now, before the io_context is destroyed.
        BOOST_TEST(done.load() == coroutines);
        BOOST_TEST(live_x.load() == 0);
        std::size_t alive = 0, never = 0;
        for(auto const& w: weak)
        {
            alive += !w.expired();
            never += !w.owner_before(std::weak_ptr<X const>()) && !std::weak_ptr<X const>().owner_before(w);
        }
        BOOST_TEST(alive == 0u);
        BOOST_TEST(never == 0u); // every coroutine did make its X
    }
    BOOST_TEST(live_x.load() == 0);
    BOOST_TEST(cv::copy_context().size() == 0u);

    double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    {
        std::lock_guard<std::mutex> lock(g_fail_mutex);
        for(auto const& m: g_fail_messages)
        {
            BOOST_ERROR(m);
        }
        for(auto const& kv: g_fail_sites)
        {
            BOOST_ERROR(kv.second << " wrong reads " << kv.first);
        }
    }
    BOOST_TEST(g_failures.load() == 0u);
    BOOST_TEST(errors.load() == 0);
    BOOST_TEST(g_suspensions.load() >= 50u * static_cast<std::uint64_t>(coroutines));

    auto u = [](std::atomic<std::uint64_t> const& a) { return static_cast<unsigned long long>(a.load()); };
    std::printf("soak: %d coroutines (+%llu children), %llu suspensions (%llu tcp round trips, %llu pool hops), "
                "%llu reads checked, %.2f s wall, peak RSS %ld MiB, %llu failures\n",
        coroutines, u(g_children), u(g_suspensions), u(g_round_trips), u(g_hops), u(g_reads), wall,
        peak_rss_kib() / 1024, u(g_failures));
}
