// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Lifetime and exception safety with Asio: every context captured by a
// handler is released however the handler ends -- run, thrown out of run(),
// never run because the io_context was stopped and destroyed, or destroyed
// with a thread_pool that was stopped -- including suspended coroutines whose
// frames hold a scoped_set (destroyed in a foreign context: a no-op). Live
// values are counted by a type that counts its instances.
//
// (That throwing handlers and coroutines leave the thread's context as before
// is tested in context_executor.cpp, bind_context_asio.cpp and co_spawn.cpp.)

#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>

#define BOOST_TEST_MODULE exception_safety_asio
#include <boost/test/unit_test.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#if BOOST_CONTEXTVARS_HAS_COROUTINES
# include <boost/asio/co_spawn.hpp>
# include <boost/asio/detached.hpp>
# include <boost/asio/use_awaitable.hpp>
#endif

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using namespace std::chrono_literals;

namespace {

std::atomic<long> g_live{0};

// A value that counts its instances: a context holding one keeps it alive.
struct tracked
{
    int id;
    explicit tracked(int i): id(i) { ++g_live; }
    tracked(tracked const& o): id(o.id) { ++g_live; }
    tracked& operator=(tracked const&) = default;
    ~tracked() { --g_live; }
};

cv::context_var<tracked> tenant("tenant");
cv::context_var<int> marker("marker");

// Runs f in a new context in which `tenant` is `id`; the context itself is
// gone afterwards, so only what f's handlers captured keeps the value alive.
template<class F>
void as_tenant(int id, F&& f)
{
    cv::context c;
    c.run([&] {
        tenant.set(tracked(id));
        f();
    });
}

} // namespace

BOOST_AUTO_TEST_CASE(io_context_destroyed_with_pending_handlers_releases_every_context)
{
    int ran = 0;
    {
        asio::io_context io;
        auto cx = cv::make_context_executor(io);
        std::vector<std::unique_ptr<asio::steady_timer>> timers;
        for(int i = 0; i < 20; ++i)
        {
            as_tenant(i, [&] {
                // submitted through a context_executor
                asio::post(cx, [&] { ++ran; });
                // a completion pinned at initiation
                timers.push_back(std::make_unique<asio::steady_timer>(cx, 1h));
                timers.back()->async_wait([&](boost::system::error_code) { ++ran; });
                // bind_context as a callable and as a completion token
                asio::post(io, cv::bind_context([&] { ++ran; }));
                timers.push_back(std::make_unique<asio::steady_timer>(io, 1h));
                timers.back()->async_wait(cv::bind_context([&](boost::system::error_code) { ++ran; }));
            });
        }
        BOOST_TEST(g_live.load() == 20); // one value per tenant, shared by its handlers
        timers.clear(); // cancels: the aborted completions are queued, not run
        BOOST_TEST(g_live.load() == 20);
    } // ~io_context destroys every queued handler
    BOOST_TEST(ran == 0);
    BOOST_TEST(g_live.load() == 0);
}

BOOST_AUTO_TEST_CASE(stopped_io_context_frees_the_contexts_of_handlers_never_run)
{
    std::atomic<int> ran{0};
    {
        asio::io_context io;
        auto cx = cv::make_context_executor(io);
        for(int i = 0; i < 100; ++i)
        {
            as_tenant(i, [&] {
                asio::post(cx, [&, i] {
                    BOOST_TEST(tenant.get().id == i);
                    if(++ran == 10)
                    {
                        io.stop(); // the other 90 are never run
                    }
                });
            });
        }
        std::thread t([&] { io.run(); });
        t.join();
        BOOST_TEST(ran.load() == 10);
        BOOST_TEST(g_live.load() == 90);
    }
    BOOST_TEST(g_live.load() == 0);
}

BOOST_AUTO_TEST_CASE(stopped_thread_pool_frees_the_contexts_of_pending_work)
{
    std::atomic<int> ran{0};
    {
        asio::thread_pool pool(1);
        auto cx = cv::make_context_executor(pool.get_executor());
        std::promise<void> go;
        std::shared_future<void> started = go.get_future().share();
        std::promise<void> blocked;
        asio::post(cx, [&] {
            blocked.set_value();
            started.wait();
        });
        blocked.get_future().wait();
        for(int i = 0; i < 50; ++i)
        {
            as_tenant(i, [&] { asio::post(cx, [&] { ++ran; }); });
        }
        BOOST_TEST(g_live.load() == 50);
        pool.stop();
        go.set_value();
        pool.join();
    }
    BOOST_TEST(ran.load() == 0);
    BOOST_TEST(g_live.load() == 0);
}

BOOST_AUTO_TEST_CASE(handlers_that_throw_release_their_contexts)
{
    asio::io_context io;
    auto cx = cv::make_context_executor(io);
    int thrown = 0;
    for(int i = 0; i < 10; ++i)
    {
        as_tenant(i, [&] {
            asio::post(cx, [i] {
                marker.set(i); // in the handler's own copy: discarded with it
                throw std::runtime_error("handler");
            });
            asio::post(io, cv::bind_context([] { throw std::runtime_error("bound"); }));
        });
    }
    BOOST_TEST(g_live.load() == 10);
    for(;;)
    {
        try
        {
            io.run();
            break;
        }
        catch(std::runtime_error const&)
        {
            ++thrown;
            BOOST_TEST(cv::copy_context().empty()); // the thread's context as before
        }
    }
    BOOST_TEST(thrown == 20);
    BOOST_TEST(g_live.load() == 0);
}

BOOST_AUTO_TEST_CASE(bind_context_moved_copied_and_destroyed_twice)
{
    int calls = 0;
    {
        std::optional<cv::context_binder<std::function<void()>>> a;
        as_tenant(7, [&] {
            a.emplace(cv::bind_context(std::function<void()>([&] {
                BOOST_TEST(tenant.get().id == 7);
                ++calls;
            })));
        });
        BOOST_TEST(g_live.load() == 1);
        auto b = std::move(*a);      // a is moved from
        auto c = b;                  // a copy shares the captured values
        BOOST_TEST(g_live.load() == 1);
        c();
        b();
        a.reset();                   // destroying the moved-from binder is fine
        {
            auto d = std::move(c);   // moved twice
            auto e = std::move(d);
            e();
        }                            // e and the moved-from d destroyed
        BOOST_TEST(g_live.load() == 1); // b still holds it
    }
    BOOST_TEST(calls == 3);
    BOOST_TEST(g_live.load() == 0);

    // As a completion token: Asio moves the handler into the operation and
    // destroys it unrun when the io_context goes.
    {
        asio::io_context io;
        asio::steady_timer t(io, 1h);
        as_tenant(8, [&] {
            auto h = cv::bind_context([&](boost::system::error_code) { ++calls; });
            auto h2 = std::move(h);
            t.async_wait(std::move(h2));
        });
        BOOST_TEST(g_live.load() == 1);
    }
    BOOST_TEST(calls == 3);
    BOOST_TEST(g_live.load() == 0);
}

#if BOOST_CONTEXTVARS_HAS_COROUTINES

// Suspended coroutines destroyed with their io_context: the frames, with the
// contexts and the scoped_set guards they hold, are destroyed on the main
// thread. A guard destroyed in a foreign context does nothing, and every
// value is released.
BOOST_AUTO_TEST_CASE(suspended_coroutines_destroyed_with_the_io_context)
{
    int resumed = 0;
    int started = 0;
    cv::context main_ctx;
    main_ctx.run([&] {
        auto t = marker.set(-1);
        {
            asio::io_context io;
            auto cx = cv::make_context_executor(io);
            for(int i = 0; i < 10; ++i)
            {
                as_tenant(i, [&] {
                    asio::co_spawn(cx, [&, i]() -> asio::awaitable<void> {
                        ++started;
                        cv::scoped_set<int> g(marker, i); // restored only in its own context
                        cv::scoped_set<tracked> g2(tenant, tracked(100 + i));
                        asio::steady_timer timer(co_await asio::this_coro::executor, 1h);
                        co_await timer.async_wait(asio::use_awaitable);
                        ++resumed;
                    }, asio::detached);
                });
            }
            // Start them all; they suspend on their timers.
            auto const deadline = std::chrono::steady_clock::now() + 30s;
            while(started < 10 && std::chrono::steady_clock::now() < deadline)
            {
                io.run_one_for(100ms);
            }
            io.poll(); // let the last one reach its co_await
            BOOST_TEST(started == 10);
            BOOST_TEST(g_live.load() == 20); // each: its tenant value and its own
        } // frames destroyed here, in main_ctx
        BOOST_TEST(resumed == 0);
        BOOST_TEST(g_live.load() == 0);
        BOOST_TEST(marker.get() == -1); // the guards did not touch this context
        BOOST_TEST(cv::copy_context().size() == 1u);
        marker.reset(t);
    });
}

#endif
