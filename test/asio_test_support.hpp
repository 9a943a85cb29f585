// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Helpers shared by the Asio tests: the context variable they set and read
// (`var`, read as `none` when unset) with the executor aliases they use, an
// io_context run by N threads, a barrier, waiting on futures with a timeout,
// a check that every thread of an executor is back in an empty context, a
// loop that runs an io_context through the exceptions its handlers throw,
// and BG_CHECK for checks made on background threads (Boost.Test's
// assertions are not thread-safe: failures are recorded and reported on the
// main thread by bg_fixture).
// Include after Boost.Test and Asio.

#ifndef BOOST_CONTEXTVARS_TEST_ASIO_TEST_SUPPORT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_ASIO_TEST_SUPPORT_HPP_INCLUDED

#include <boost/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/asio/context_executor.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

// ---- the variable under test -----------------------------------------------

// No default, so that "no value" reads as `none`: a value left behind on a
// thread then shows as something else.
inline boost::contextvars::context_var<int> var("var");
inline constexpr int none = -1;

inline int read()
{
    return var.get(none);
}

// Whether `t` is foreign to the current context: reset() refuses it with
// token_error (and when it is not, the reset is done).
inline bool is_foreign(boost::contextvars::token<int>& t)
{
    try
    {
        var.reset(t);
        return false;
    }
    catch(boost::contextvars::token_error const&)
    {
        return true;
    }
}

// A context holding `value`.
inline boost::contextvars::context context_with(int value)
{
    boost::contextvars::context c;
    c.run([&] { var.set(value); });
    return c;
}

using io_ex = boost::asio::io_context::executor_type;
using cx_io = boost::contextvars::context_executor<io_ex>;
using cx_pool = boost::contextvars::context_executor<boost::asio::thread_pool::executor_type>;
using cx_strand = boost::contextvars::context_executor<boost::asio::strand<io_ex>>;

// The executors of a test built in both propagation modes: plain ones under
// whole-program tracking, context_executors without it; on() makes one.
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
using mode_io = io_ex;
using mode_pool = boost::asio::thread_pool::executor_type;
#else
using mode_io = cx_io;
using mode_pool = cx_pool;
#endif

inline mode_io on(boost::asio::io_context& io)
{
    return mode_io(io.get_executor());
}

inline mode_pool on(boost::asio::thread_pool& pool)
{
    return mode_pool(pool.get_executor());
}

// ---- checks on background threads ------------------------------------------

struct bg_failures
{
    std::mutex m;
    std::vector<std::string> messages;

    static bg_failures& instance()
    {
        static bg_failures f;
        return f;
    }

    void add(std::string s)
    {
        std::lock_guard<std::mutex> lock(m);
        messages.push_back(std::move(s));
    }

    std::vector<std::string> take()
    {
        std::lock_guard<std::mutex> lock(m);
        std::vector<std::string> r;
        r.swap(messages);
        return r;
    }
};

// Reports, on the main thread at the end of each test, the BG_CHECKs that
// failed during it.
struct bg_fixture
{
    bg_fixture()
    {
        bg_failures::instance().take();
    }

    ~bg_fixture()
    {
        for(auto const& m: bg_failures::instance().take())
        {
            BOOST_ERROR("background check failed: " << m);
        }
    }
};

#define BG_CHECK(cond)                                                                      \
    do                                                                                      \
    {                                                                                       \
        if(!(cond))                                                                         \
        {                                                                                   \
            std::ostringstream bg_check_os_;                                                \
            bg_check_os_ << __FILE__ << "(" << __LINE__ << "): " << #cond;                  \
            ::test_support::bg_failures::instance().add(bg_check_os_.str());                \
        }                                                                                   \
    } while(false)

// ---- the current thread ----------------------------------------------------

// std::this_thread::get_id() for code that may resume on another thread
// between two calls: pthread_self() is declared const, so the optimiser may
// reuse its result across a stackful coroutine's switch (seen with gcc 12
// -O2 on asio::spawn). The empty asm gives this function a side effect.
BOOST_NOINLINE inline std::thread::id current_thread_id()
{
    std::thread::id id = std::this_thread::get_id();
#if defined(__GNUC__) || defined(__clang__)
    __asm__ volatile("" : : "r"(&id) : "memory");
#endif
    return id;
}

// ---- waiting ---------------------------------------------------------------

template<class T>
T wait(std::future<T>& f)
{
    BOOST_TEST_REQUIRE((f.wait_for(std::chrono::seconds(60)) == std::future_status::ready), "timed out");
    return f.get();
}

// The id of the thread that runs functions posted to `ex` (an executor run
// by one thread).
template<class Executor>
std::thread::id thread_of(Executor const& ex)
{
    std::promise<std::thread::id> p;
    auto f = p.get_future();
    boost::asio::post(ex, [&] { p.set_value(std::this_thread::get_id()); });
    return wait(f);
}

// An io_context run by `n` threads until destroyed.
struct io_threads
{
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard;
    std::vector<std::thread> threads;

    explicit io_threads(int n = 2): io(n), guard(io.get_executor())
    {
        for(int i = 0; i < n; ++i)
        {
            threads.emplace_back([this] { io.run(); });
        }
    }

    io_threads(io_threads const&) = delete;
    io_threads& operator=(io_threads const&) = delete;

    ~io_threads()
    {
        guard.reset();
        for(auto& t: threads)
        {
            t.join();
        }
    }
};

// Blocks until `n` parties arrived (or 20 s passed).
class barrier
{
public:
    explicit barrier(int n): n_(n) {}

    bool arrive_and_wait()
    {
        std::unique_lock<std::mutex> lock(m_);
        if(--n_ == 0)
        {
            cv_.notify_all();
            return true;
        }
        return cv_.wait_for(lock, std::chrono::seconds(20), [this] { return n_ <= 0; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int n_;
};

// Posts one plain handler per thread of `plain` (an executor run by
// `nthreads` threads), each blocked until all are running so that every
// thread is checked, and returns what `read()` gave on each: a function run
// through a context-aware executor or binder must leave nothing behind.
template<class Plain, class Read>
std::vector<int> values_on_threads(Plain const& plain, int nthreads, Read read)
{
    // Shared with the handlers: the last one may still be running when this
    // function returns.
    struct state
    {
        explicit state(int n): b(n), nthreads(n) {}

        barrier b;
        int const nthreads;
        std::mutex m;
        std::set<std::thread::id> ids;
        std::vector<int> values;
        std::atomic<int> done{0};
        std::promise<void> all;
    };
    auto st = std::make_shared<state>(nthreads);
    auto fut = st->all.get_future();
    for(int i = 0; i < nthreads; ++i)
    {
        boost::asio::post(plain, [st, read] {
            bool ok = st->b.arrive_and_wait();
            {
                std::lock_guard<std::mutex> lock(st->m);
                st->ids.insert(std::this_thread::get_id());
                st->values.push_back(ok ? read() : -1000);
            }
            if(++st->done == st->nthreads)
            {
                st->all.set_value();
            }
        });
    }
    wait(fut);
    std::lock_guard<std::mutex> lock(st->m);
    BOOST_TEST(st->ids.size() == std::size_t(nthreads));
    return st->values;
}

// Every thread of `plain` (run by `nthreads` threads) is back in an empty
// context: nothing a context-aware function set remains on it.
template<class Plain>
void check_threads_clean(Plain const& plain, int nthreads)
{
    for(int v: values_on_threads(plain, nthreads, read))
    {
        BOOST_TEST(v == none);
    }
}

// ---- exceptions out of run() -----------------------------------------------

// Runs `io` until it is out of work. A handler's exception of type Exception
// leaves run(), which is called again after `after_each()` (the caller's
// check of the context run() left the thread in); returns how many there were.
template<class Exception, class F>
int run_through_exceptions(boost::asio::io_context& io, F after_each)
{
    int caught = 0;
    for(;;)
    {
        try
        {
            io.run();
            break;
        }
        catch(Exception const&)
        {
            ++caught;
            after_each();
        }
    }
    return caught;
}

} // namespace test_support

#endif // BOOST_CONTEXTVARS_TEST_ASIO_TEST_SUPPORT_HPP_INCLUDED
