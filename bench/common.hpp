#ifndef BOOST_CONTEXTVARS_BENCH_COMMON_HPP_INCLUDED
#define BOOST_CONTEXTVARS_BENCH_COMMON_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// What the benchmark programs share: the pool of variables, contexts holding
// N of them, and the propagation scenarios (each runs n handlers on one
// io_context, one thread). bench_asio times them, bench_alloc counts their
// allocations and bench_callgrind_cases counts their instructions, so all
// three measure exactly the same code.

// async_result<context_binder<T>, ...> has no completion_handler_type, so
// Asio's (compile-time only) handler type checks reject
// timer.async_wait(bind_context(h)) with g++ and clang++ (seen at af5842e).
// The checks generate no code: turning them off does not change what is timed.
#ifndef BOOST_ASIO_DISABLE_HANDLER_TYPE_REQUIREMENTS
# define BOOST_ASIO_DISABLE_HANDLER_TYPE_REQUIREMENTS
#endif

#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#if BOOST_CONTEXTVARS_HAS_COROUTINES
# include <boost/asio/awaitable.hpp>
# include <boost/asio/co_spawn.hpp>
# include <boost/asio/detached.hpp>
# include <boost/asio/use_awaitable.hpp>
#endif
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace bench {

namespace asio = boost::asio;
namespace cv = boost::contextvars;

using io_executor = asio::io_context::executor_type;
using ctx_io_executor = cv::context_executor<io_executor>;

constexpr std::size_t max_vars = 10000;

// Libstdc++ makes shared_ptr reference counts atomic only once a thread has
// been created (__gthread_active_p); ours are always atomic. Real servers
// have threads, so every program starts one and joins it first.
inline void start_a_thread()
{
    std::thread([] {}).join();
}

// The variables, created in this order so that their dense indices are:
// miss = 0, with_default = 1, pool[i] = i + 2. The miss and default lookups
// therefore walk the full depth of a large trie before missing. The pool
// grows on demand (creating 10,000 variables is start-up cost that every
// run under callgrind would pay).
struct vars
{
    cv::context_var<int> miss{"miss"};
    cv::context_var<int> with_default{"with_default", 7};
    std::vector<std::unique_ptr<cv::context_var<int>>> pool;

    // Makes sure pool[0..n) exist.
    void ensure(std::size_t n)
    {
        pool.reserve(max_vars + 1);
        while(pool.size() < n)
        {
            pool.push_back(std::make_unique<cv::context_var<int>>("v" + std::to_string(pool.size())));
        }
    }

    static vars& get()
    {
        static vars* v = new vars; // never destroyed: contexts may outlive main
        return *v;
    }
};

// A context in which pool[0..n) have a value (built once per n, by set()).
// Copy it (O(1)) and run in the copy.
inline cv::context const& context_with(std::size_t n)
{
    static std::map<std::size_t, cv::context>* cache = new std::map<std::size_t, cv::context>;
    auto it = cache->find(n);
    if(it == cache->end())
    {
        if(n > max_vars)
        {
            throw std::invalid_argument("too many vars");
        }
        vars::get().ensure(n + 1); // pool[n] is the "new var" of bench_alloc
        cv::context c;
        c.run([&] {
            auto& p = vars::get().pool;
            for(std::size_t i = 0; i < n; ++i)
            {
                (void)p[i]->set(static_cast<int>(i));
            }
        });
        it = cache->emplace(n, std::move(c)).first;
    }
    return it->second;
}

// Calls f() in a fresh copy of context_with(n).
template<class F>
void in_context(std::size_t n, F&& f)
{
    cv::context c = context_with(n);
    c.run(std::forward<F>(f));
}

// ---------------------------------------------------------------------------
// (i) A self-re-posting chain: each handler posts the next through the same
// executor, so a context_executor carries the context along the chain.

template<class Ex>
struct chain_handler
{
    Ex ex;
    std::size_t* left;

    void operator()()
    {
        if(--*left != 0)
        {
            // post() copies `ex` into its initiation before it moves the handler.
            asio::post(ex, std::move(*this));
        }
    }
};

template<class Ex>
void run_chain(asio::io_context& io, Ex const& ex, std::size_t n, std::size_t vars_set, bool in_ctx)
{
    std::size_t left = n;
    io.restart();
    auto start = [&] { asio::post(ex, chain_handler<Ex>{ex, &left}); };
    if(in_ctx)
    {
        in_context(vars_set, start);
    }
    else
    {
        start();
    }
    io.run();
    if(left != 0)
    {
        throw std::logic_error("chain did not finish");
    }
}

// (ii) A batch: n posts, then run().

struct batch_handler
{
    std::size_t* done;

    void operator()()
    {
        ++*done;
    }
};

// (ii b) Flow control (flow.hpp). A variable that stays where it is set,
// made on first use only: the first flow::none variable or suppress_flow
// guard a program makes turns on the checks every later capture pays, so
// the scenarios that use them come last.
inline cv::context_var<int>& local_var()
{
    static auto* v = new cv::context_var<int>("local", cv::flow::none);
    return *v;
}

// The chain of (i), each handler posting the next under a suppress_flow
// guard: every handler starts in an empty context.
template<class Ex>
struct suppressed_chain_handler
{
    Ex ex;
    std::size_t* left;

    void operator()()
    {
        if(--*left != 0)
        {
            cv::suppress_flow guard;
            asio::post(ex, std::move(*this));
        }
    }
};

// The chain of (i) started from a context that holds a flow::none value
// beside `vars_set` flowing ones (`suppressed`: a chain of
// suppressed_chain_handler instead).
template<class Ex>
void run_flow_chain(asio::io_context& io, Ex const& ex, std::size_t n, std::size_t vars_set, bool suppressed)
{
    std::size_t left = n;
    io.restart();
    in_context(vars_set, [&] {
        (void)local_var().set(1);
        if(suppressed)
        {
            asio::post(ex, suppressed_chain_handler<Ex>{ex, &left});
        }
        else
        {
            asio::post(ex, chain_handler<Ex>{ex, &left});
        }
    });
    io.run();
    if(left != 0)
    {
        throw std::logic_error("chain did not finish");
    }
}

// (ii c) The chain of (i) in a context of one var, with that var mirrored
// into a thread-local (mirror.hpp) for the duration.
inline thread_local int mirrored_value = 0;

template<class Ex>
void run_mirror_chain(asio::io_context& io, Ex const& ex, std::size_t n)
{
    cv::thread_local_mirror<int> mirror(*vars::get().pool.at(0), [](int const* v) { mirrored_value = v ? *v : -1; });
    run_chain(io, ex, n, 1, true);
}

template<class Ex>
void run_batch(asio::io_context& io, Ex const& ex, std::size_t n, std::size_t vars_set, bool in_ctx)
{
    std::size_t done = 0;
    io.restart();
    auto start = [&] {
        for(std::size_t i = 0; i < n; ++i)
        {
            asio::post(ex, batch_handler{&done});
        }
    };
    if(in_ctx)
    {
        in_context(vars_set, start);
    }
    else
    {
        start();
    }
    io.run();
    if(done != n)
    {
        throw std::logic_error("batch did not finish");
    }
}

#if BOOST_CONTEXTVARS_HAS_COROUTINES
// (iii) A coroutine doing co_await post(use_awaitable) n times.

inline asio::awaitable<void> post_loop(std::size_t n, std::size_t* done)
{
    for(std::size_t i = 0; i < n; ++i)
    {
        co_await asio::post(asio::use_awaitable);
        ++*done;
    }
}

// (iii c) The loop of (iii) in a coroutine that first sets a flow::none
// value: each resumption carries it (flow.hpp).
inline asio::awaitable<void> local_post_loop(std::size_t n, std::size_t* done)
{
    (void)local_var().set(1);
    co_await post_loop(n, done);
}

// (iii b) A coroutine awaiting n children, each co_spawned on its own
// executor and finishing at once: what a spawn and its completion cost.
inline asio::awaitable<void> spawn_loop(std::size_t n, std::size_t* done)
{
    auto ex = co_await asio::this_coro::executor;
    for(std::size_t i = 0; i < n; ++i)
    {
        co_await asio::co_spawn(ex, []() -> asio::awaitable<void> { co_return; }, asio::use_awaitable);
        ++*done;
    }
}

template<class Ex>
void run_coro(asio::io_context& io, Ex const& ex, std::size_t n, std::size_t vars_set, bool in_ctx,
              asio::awaitable<void> (*loop)(std::size_t, std::size_t*) = post_loop)
{
    std::size_t done = 0;
    io.restart();
    auto start = [&] { asio::co_spawn(ex, loop(n, &done), asio::detached); };
    if(in_ctx)
    {
        in_context(vars_set, start);
    }
    else
    {
        start();
    }
    io.run();
    if(done != n)
    {
        throw std::logic_error("coroutine did not finish");
    }
}
#endif

// (iv) A steady_timer with zero expiry, waited on n times in a chain; the
// handler is bound with bind_context or not.

template<bool Bind>
struct timer_handler
{
    asio::steady_timer* t;
    std::size_t* left;

    void operator()(boost::system::error_code const&)
    {
        if(--*left != 0)
        {
            arm(*t, std::move(*this));
        }
    }

    static void arm(asio::steady_timer& t, timer_handler h)
    {
        t.expires_after(std::chrono::steady_clock::duration::zero());
        if constexpr(Bind)
        {
            t.async_wait(cv::bind_context(std::move(h)));
        }
        else
        {
            t.async_wait(std::move(h));
        }
    }
};

template<bool Bind>
void run_timer(asio::io_context& io, std::size_t n, std::size_t vars_set, bool in_ctx)
{
    std::size_t left = n;
    asio::steady_timer t(io);
    io.restart();
    auto start = [&] { timer_handler<Bind>::arm(t, timer_handler<Bind>{&t, &left}); };
    if(in_ctx)
    {
        in_context(vars_set, start);
    }
    else
    {
        start();
    }
    io.run();
    if(left != 0)
    {
        throw std::logic_error("timer chain did not finish");
    }
}

// (v) The peer solution, by hand: each handler captures a shared_ptr to the
// caller's context (OpenTelemetry's RuntimeContext::GetCurrent()) and swaps
// it into a thread-local around its body (Attach, then Detach).

struct peer_values
{
    int request_id = 0;
};

inline std::shared_ptr<peer_values const>& peer_current()
{
    static thread_local std::shared_ptr<peer_values const> current;
    return current;
}

template<class Ex>
struct peer_chain_handler
{
    Ex ex;
    std::size_t* left;
    std::shared_ptr<peer_values const> captured = peer_current(); // GetCurrent()

    void operator()()
    {
        auto previous = std::exchange(peer_current(), std::move(captured)); // Attach
        if(--*left != 0)
        {
            asio::post(ex, peer_chain_handler{ex, left});
        }
        peer_current() = std::move(previous); // Detach
    }
};

inline void run_peer_chain(asio::io_context& io, std::size_t n, std::size_t vars_set)
{
    std::size_t left = n;
    io.restart();
    auto saved = peer_current();
    if(vars_set != 0)
    {
        peer_current() = std::make_shared<peer_values const>(peer_values{42});
    }
    asio::post(io.get_executor(), peer_chain_handler<io_executor>{io.get_executor(), &left});
    peer_current() = saved;
    io.run();
    if(left != 0)
    {
        throw std::logic_error("peer chain did not finish");
    }
}

#if BOOST_CONTEXTVARS_HAS_COROUTINES
// (vi) A loopback TCP echo: one coroutine client and one coroutine server
// on the same io_context, 64-byte messages, every socket and coroutine on
// the executor given (an any_io_executor); n round trips.

inline asio::awaitable<void> echo_server(asio::ip::tcp::acceptor& acc, std::size_t n)
{
    asio::ip::tcp::socket s = co_await acc.async_accept(asio::use_awaitable);
    char buf[64];
    for(std::size_t i = 0; i < n; ++i)
    {
        co_await asio::async_read(s, asio::buffer(buf), asio::use_awaitable);
        co_await asio::async_write(s, asio::buffer(buf), asio::use_awaitable);
    }
}

inline asio::awaitable<void> echo_client(asio::ip::tcp::socket& s, asio::ip::tcp::endpoint to, std::size_t n,
    std::size_t* done)
{
    co_await s.async_connect(to, asio::use_awaitable);
    char buf[64] = {};
    for(std::size_t i = 0; i < n; ++i)
    {
        co_await asio::async_write(s, asio::buffer(buf), asio::use_awaitable);
        co_await asio::async_read(s, asio::buffer(buf), asio::use_awaitable);
        ++*done;
    }
}

// A wrapper executor that carries nothing: each call goes straight to the
// inner executor. It measures what any wrapper type costs behind
// any_io_executor, which keeps a fast path for io_context's own executor
// (asio/detail/handler_work.hpp) and takes the general path for every other
// type: the floor under context_executor's own cost in the echo case.
template<class Executor>
class forwarding_executor
{
public:
    explicit forwarding_executor(Executor ex) noexcept: ex_(std::move(ex)) {}

    template<class F>
    void execute(F&& f) const
    {
        ex_.execute(std::forward<F>(f));
    }

    template<class Property>
    auto query(Property const& p) const noexcept(noexcept(asio::query(std::declval<Executor const&>(), p)))
        -> decltype(asio::query(std::declval<Executor const&>(), p))
    {
        return asio::query(ex_, p);
    }

    template<class Property>
    auto require(Property const& p) const
        -> forwarding_executor<std::decay_t<decltype(asio::require(std::declval<Executor const&>(), p))>>
    {
        return forwarding_executor<std::decay_t<decltype(asio::require(ex_, p))>>(asio::require(ex_, p));
    }

    template<class Property>
    auto prefer(Property const& p) const
        -> forwarding_executor<std::decay_t<decltype(asio::prefer(std::declval<Executor const&>(), p))>>
    {
        return forwarding_executor<std::decay_t<decltype(asio::prefer(ex_, p))>>(asio::prefer(ex_, p));
    }

    friend bool operator==(forwarding_executor const& a, forwarding_executor const& b) noexcept
    {
        return a.ex_ == b.ex_;
    }

    friend bool operator!=(forwarding_executor const& a, forwarding_executor const& b) noexcept
    {
        return a.ex_ != b.ex_;
    }

private:
    Executor ex_;
};

inline void run_echo(asio::io_context& io, asio::any_io_executor const& ex, std::size_t n, std::size_t vars_set,
    bool in_ctx)
{
    std::size_t done = 0;
    io.restart();
    asio::ip::tcp::acceptor acc(ex, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    asio::ip::tcp::socket client(ex);
    auto start = [&] {
        asio::co_spawn(ex, echo_server(acc, n), asio::detached);
        asio::co_spawn(ex, echo_client(client, acc.local_endpoint(), n, &done), asio::detached);
    };
    if(in_ctx)
    {
        in_context(vars_set, start);
    }
    else
    {
        start();
    }
    io.run();
    if(done != n)
    {
        throw std::logic_error("echo did not finish");
    }
}
#endif

// ---------------------------------------------------------------------------
// The scenario table. `name` is family/variant; `baseline` is the variant its
// ratios are taken against; `extra` ones are not among the cases.

struct scenario
{
    std::string name;
    std::string baseline;
    std::function<void(asio::io_context&, std::size_t)> run;
    bool extra = false;
};

inline std::vector<scenario> scenarios()
{
    using any = asio::any_io_executor;
    using strand_ex = asio::strand<io_executor>;
    std::vector<scenario> s;

    // (a) plain, (b) empty context, (c) 1 var, (d) 64 vars, (e) any_io_executor
    auto family = [&](std::string const& fam, auto runner) {
        s.push_back({fam + "/plain", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
            runner(io, io.get_executor(), n, 0, false);
        }});
        // The plain executor started inside a context: the same as plain in
        // the plain build; whole-program tracking's cost in the tracking build.
        if(fam == "chain")
        {
            s.push_back({fam + "/plain_empty", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
                runner(io, io.get_executor(), n, 0, true);
            }});
            s.push_back({fam + "/plain_1var", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
                runner(io, io.get_executor(), n, 1, true);
            }});
            s.push_back({fam + "/plain_64var", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
                runner(io, io.get_executor(), n, 64, true);
            }});
        }
        s.push_back({fam + "/ctx_empty", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
            runner(io, ctx_io_executor(io), n, 0, true);
        }});
        s.push_back({fam + "/ctx_1var", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
            runner(io, ctx_io_executor(io), n, 1, true);
        }});
        s.push_back({fam + "/ctx_64var", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
            runner(io, ctx_io_executor(io), n, 64, true);
        }});
        s.push_back({fam + "/any_plain", fam + "/plain", [runner](asio::io_context& io, std::size_t n) {
            runner(io, any(io.get_executor()), n, 0, false);
        }});
        s.push_back({fam + "/any_ctx_1var", fam + "/any_plain", [runner](asio::io_context& io, std::size_t n) {
            runner(io, any(ctx_io_executor(io)), n, 1, true);
        }});
    };
    family("chain", [](asio::io_context& io, auto const& ex, std::size_t n, std::size_t v, bool c) {
        run_chain(io, ex, n, v, c);
    });
    family("batch", [](asio::io_context& io, auto const& ex, std::size_t n, std::size_t v, bool c) {
        run_batch(io, ex, n, v, c);
    });

#if BOOST_CONTEXTVARS_HAS_COROUTINES
    s.push_back({"coro/plain", "coro/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, io.get_executor(), n, 0, false);
    }});
    s.push_back({"coro/plain_1var", "coro/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, io.get_executor(), n, 1, true);
    }});
    s.push_back({"coro/ctx_empty", "coro/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, ctx_io_executor(io), n, 0, true);
    }});
    s.push_back({"coro/ctx_1var", "coro/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, ctx_io_executor(io), n, 1, true);
    }});
    s.push_back({"spawn/plain", "spawn/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, io.get_executor(), n, 0, false, spawn_loop);
    }, true});
    s.push_back({"spawn/plain_1var", "spawn/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, io.get_executor(), n, 1, true, spawn_loop);
    }, true});
    s.push_back({"spawn/ctx_1var", "spawn/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, ctx_io_executor(io), n, 1, true, spawn_loop);
    }, true});
#endif

    s.push_back({"timer/plain", "timer/plain", [](asio::io_context& io, std::size_t n) {
        run_timer<false>(io, n, 0, false);
    }});
    s.push_back({"timer/plain_1var", "timer/plain", [](asio::io_context& io, std::size_t n) {
        run_timer<false>(io, n, 1, true);
    }});
    s.push_back({"timer/bind_empty", "timer/plain", [](asio::io_context& io, std::size_t n) {
        run_timer<true>(io, n, 0, true);
    }});
    s.push_back({"timer/bind_1var", "timer/plain", [](asio::io_context& io, std::size_t n) {
        run_timer<true>(io, n, 1, true);
    }});

    // The peer solution: a shared_ptr captured by hand in each handler and
    // swapped into a thread-local around it (OpenTelemetry's GetCurrent,
    // Attach, Detach); empty = a null pointer, 1var = a value.
    s.push_back({"chain/peer_empty", "chain/plain", [](asio::io_context& io, std::size_t n) {
        run_peer_chain(io, n, 0);
    }});
    s.push_back({"chain/peer_1var", "chain/plain", [](asio::io_context& io, std::size_t n) {
        run_peer_chain(io, n, 1);
    }});

#if BOOST_CONTEXTVARS_HAS_COROUTINES
    // Loopback TCP echo round trips, coroutines, any_io_executor.
    s.push_back({"echo/any_plain", "echo/any_plain", [](asio::io_context& io, std::size_t n) {
        run_echo(io, any(io.get_executor()), n, 0, false);
    }});
    s.push_back({"echo/any_plain_1var", "echo/any_plain", [](asio::io_context& io, std::size_t n) {
        run_echo(io, any(io.get_executor()), n, 1, true);
    }});
    s.push_back({"echo/any_ctx_1var", "echo/any_plain", [](asio::io_context& io, std::size_t n) {
        run_echo(io, any(ctx_io_executor(io)), n, 1, true);
    }});
    // The floor under the line above: a wrapper that carries no context.
    s.push_back({"echo/any_fwd_1var", "echo/any_plain", [](asio::io_context& io, std::size_t n) {
        run_echo(io, any(forwarding_executor<io_executor>(io.get_executor())), n, 1, true);
    }});
#endif

    // Extras (not asked for by the issue): strands. context_executor<strand<..>>
    // is 32 bytes and does not fit any_io_executor's 24-byte small buffer.
    s.push_back({"chain/strand_plain", "chain/strand_plain", [](asio::io_context& io, std::size_t n) {
        run_chain(io, strand_ex(io.get_executor()), n, 0, false);
    }, true});
    s.push_back({"chain/any_strand_plain", "chain/any_strand_plain", [](asio::io_context& io, std::size_t n) {
        run_chain(io, any(strand_ex(io.get_executor())), n, 0, false);
    }, true});
    s.push_back({"chain/any_strand_ctx_1var", "chain/any_strand_plain", [](asio::io_context& io, std::size_t n) {
        run_chain(io, any(cv::context_executor<strand_ex>(strand_ex(io.get_executor()))), n, 1, true);
    }, true});
    s.push_back({"chain/strand_ctx_1var", "chain/strand_plain", [](asio::io_context& io, std::size_t n) {
        run_chain(io, cv::context_executor<strand_ex>(strand_ex(io.get_executor())), n, 1, true);
    }, true});

    // A thread_local_mirror (mirror.hpp) on the chain's one var.
    s.push_back({"chain/plain_mirror", "chain/plain", [](asio::io_context& io, std::size_t n) {
        context_with(1);
        run_mirror_chain(io, io.get_executor(), n);
    }, true});
    s.push_back({"chain/ctx_mirror", "chain/plain", [](asio::io_context& io, std::size_t n) {
        context_with(1);
        run_mirror_chain(io, ctx_io_executor(io), n);
    }, true});

    // Flow control (flow.hpp), last: the first one turns its checks on for
    // the rest of the process.
    s.push_back({"chain/plain_local", "chain/plain", [](asio::io_context& io, std::size_t n) {
        run_flow_chain(io, io.get_executor(), n, 1, false);
    }, true});
    s.push_back({"chain/ctx_local", "chain/plain", [](asio::io_context& io, std::size_t n) {
        run_flow_chain(io, ctx_io_executor(io), n, 1, false);
    }, true});
    s.push_back({"chain/plain_suppressed", "chain/plain", [](asio::io_context& io, std::size_t n) {
        run_flow_chain(io, io.get_executor(), n, 1, true);
    }, true});
    s.push_back({"chain/ctx_suppressed", "chain/plain", [](asio::io_context& io, std::size_t n) {
        run_flow_chain(io, ctx_io_executor(io), n, 1, true);
    }, true});
#if BOOST_CONTEXTVARS_HAS_COROUTINES
    s.push_back({"coro/plain_local", "coro/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, io.get_executor(), n, 1, true, local_post_loop);
    }, true});
    s.push_back({"coro/ctx_local", "coro/plain", [](asio::io_context& io, std::size_t n) {
        run_coro(io, ctx_io_executor(io), n, 1, true, local_post_loop);
    }, true});
#endif

    return s;
}

inline scenario const& find_scenario(std::string const& name)
{
    static std::vector<scenario> const all = scenarios();
    for(auto const& s: all)
    {
        if(s.name == name)
        {
            return s;
        }
    }
    throw std::invalid_argument("unknown scenario: " + name);
}

} // namespace bench

#endif // BOOST_CONTEXTVARS_BENCH_COMMON_HPP_INCLUDED
