// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// How the cost grows (issue 25, item 5), one program built three ways like
// bench/server: bench_scale_plain (plain Asio), bench_scale_ctx
// (context_executor), bench_scale_tracking (Boost::contextvars_tracking).
// Everything starts inside a context holding one var (common.hpp's
// context_with(1)). Prints one JSON line per measurement.
//
//   bench_scale_<mode> coro <n> [reps=5]
//       n C++20 coroutines co_spawn'ed at once on one io_context (one thread),
//       each parked on its own steady_timer; when all n are parked the heap in
//       use (glibc mallinfo2: uordblks + hblkhd, i.e. including malloc's own
//       headers) and the resident set (VmRSS) are read, then every timer is
//       cancelled and the coroutines finish, each reading the var once.
//       Reports bytes per coroutine (heap in use at the peak minus before, / n),
//       the RSS growth per coroutine, and the median over the repetitions of
//       the time to spawn all n and have them parked, and of the time to
//       finish them.
//   bench_scale_<mode> threads <n> [reps=7]
//       Two threads, each with its own io_context, each running a chain of n
//       self-re-posting handlers (common.hpp's run_chain) started from a copy
//       of the same context: under tracking and context_executor every handler
//       copies and releases the same snapshot, so its reference count is one
//       cache line written by both cores. Each repetition times one thread
//       doing its n alone, then two doing n each at once, then (the control)
//       two at once each in a context of its own (same var, own snapshot);
//       reports the medians of the per-repetition wall-time ratios to one
//       thread. The plain build shares nothing: its ratio is what the machine
//       allows at that moment (1.0 with two idle cores, 2.0 with one).

#include "common.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = bench::asio;
namespace cv = bench::cv;
using clock_type = std::chrono::steady_clock;

#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
constexpr char const* mode_name = "tracking";
#elif defined(BENCH_SCALE_CTX)
constexpr char const* mode_name = "ctx";
#else
constexpr char const* mode_name = "plain";
#endif

// The executor the work runs on in this build.
auto executor_for(asio::io_context& io)
{
#if defined(BENCH_SCALE_CTX)
    return bench::ctx_io_executor(io);
#else
    return io.get_executor();
#endif
}

double seconds_since(clock_type::time_point t0)
{
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

long long heap_in_use()
{
    struct mallinfo2 m = mallinfo2();
    return static_cast<long long>(m.uordblks + m.hblkhd);
}

long long rss_bytes()
{
    std::ifstream f("/proc/self/status");
    std::string line;
    while(std::getline(f, line))
    {
        if(line.rfind("VmRSS:", 0) == 0)
        {
            return std::atoll(line.c_str() + 6) * 1024;
        }
    }
    return 0;
}

// ---- coroutines ------------------------------------------------------------------

struct coro_state
{
    std::vector<asio::steady_timer*> timers;
    std::size_t parked = 0;
    std::size_t done = 0;
    std::size_t saw_var = 0; // finished coroutines that read the var's value (not its default)
};

asio::awaitable<void> parked_coroutine(coro_state& s)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    s.timers.push_back(&timer);
    ++s.parked;
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
    auto const v = bench::vars::get().pool[0]->try_get();
    s.saw_var += v && *v == 0;
    ++s.done;
}

int coroutines(std::size_t n, int reps)
{
    std::vector<double> spawn_s, finish_s;
    long long heap = 0, rss = 0;
    std::size_t saw = 0;
    for(int r = 0; r < reps; ++r)
    {
        asio::io_context io(1);
        coro_state s;
        s.timers.reserve(n);
        long long const heap0 = heap_in_use(), rss0 = rss_bytes();
        auto const t0 = clock_type::now();
        bench::in_context(1, [&] {
            auto ex = executor_for(io);
            for(std::size_t i = 0; i < n; ++i)
            {
                asio::co_spawn(ex, parked_coroutine(s), asio::detached);
            }
        });
        while(s.parked < n && io.run_one() != 0)
        {
        }
        spawn_s.push_back(seconds_since(t0));
        if(r == 0)
        {
            heap = heap_in_use() - heap0;
            rss = rss_bytes() - rss0;
        }
        auto const t1 = clock_type::now();
        for(auto* t: s.timers)
        {
            t->cancel();
        }
        io.run();
        finish_s.push_back(seconds_since(t1));
        if(s.done != n)
        {
            std::fprintf(stderr, "coroutines: %zu of %zu finished\n", s.done, n);
            return 1;
        }
        saw = s.saw_var;
    }
    std::printf("{\"kind\": \"coro\", \"mode\": \"%s\", \"n\": %zu, \"reps\": %d, \"heap_bytes_per_coro\": %.1f, "
                "\"rss_bytes_per_coro\": %.1f, \"spawn_s\": %.6f, \"finish_s\": %.6f, \"saw_var\": %zu}\n",
        mode_name, n, reps, static_cast<double>(heap) / static_cast<double>(n),
        static_cast<double>(rss) / static_cast<double>(n), median(spawn_s), median(finish_s), saw);
    return 0;
}

// ---- two threads, one shared context --------------------------------------------

// Runs the chain on `threads` threads at once (each its own io_context, each
// n handlers) and returns the wall time until the last one finishes. Shared:
// every thread starts from a copy of context_with(1), one snapshot; otherwise
// each thread builds its own context with the same var set (its own snapshot,
// its own reference count: the control).
double chains(std::size_t n, int threads, bool shared)
{
    std::vector<asio::io_context> ios(static_cast<std::size_t>(threads));
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> ts;
    for(auto& io: ios)
    {
        ts.emplace_back([&] {
            cv::context own;
            own.run([] { (void)bench::vars::get().pool[0]->set(0); });
            ready.fetch_add(1);
            while(!go.load())
            {
            }
            if(shared)
            {
                bench::run_chain(io, executor_for(io), n, 1, true);
            }
            else
            {
                own.run([&] { bench::run_chain(io, executor_for(io), n, 0, false); });
            }
        });
    }
    while(ready.load() < threads)
    {
    }
    auto const t0 = clock_type::now();
    go.store(true);
    for(auto& t: ts)
    {
        t.join();
    }
    return seconds_since(t0);
}

int threads(std::size_t n, int reps)
{
    std::vector<double> one, two, own, ratio, own_ratio;
    (void)chains(n / 10, 2, true); // warm-up: pages, handler memory, the branch predictors
    for(int r = 0; r < reps; ++r)
    {
        one.push_back(chains(n, 1, true));
        two.push_back(chains(n, 2, true));
        own.push_back(chains(n, 2, false));
        ratio.push_back(two.back() / one.back());
        own_ratio.push_back(own.back() / one.back());
    }
    std::printf("{\"kind\": \"threads\", \"mode\": \"%s\", \"n\": %zu, \"reps\": %d, \"one_thread_s\": %.6f, "
                "\"two_threads_s\": %.6f, \"ratio\": %.4f, \"ratio_min\": %.4f, \"ratio_max\": %.4f, "
                "\"two_own_s\": %.6f, \"own_ratio\": %.4f}\n",
        mode_name, n, reps, median(one), median(two), median(ratio), *std::min_element(ratio.begin(), ratio.end()),
        *std::max_element(ratio.begin(), ratio.end()), median(own), median(own_ratio));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if(argc < 3)
    {
        std::fprintf(stderr, "usage: %s coro|threads <n> [reps]\n", argv[0]);
        return 2;
    }
    std::size_t const n = std::strtoull(argv[2], nullptr, 10);
    bench::start_a_thread();
    bench::context_with(1);
    if(std::strcmp(argv[1], "coro") == 0)
    {
        return coroutines(n, argc > 3 ? std::atoi(argv[3]) : 5);
    }
    if(std::strcmp(argv[1], "threads") == 0)
    {
        return threads(n, argc > 3 ? std::atoi(argv[3]) : 7);
    }
    std::fprintf(stderr, "unknown measurement: %s\n", argv[1]);
    return 2;
}
