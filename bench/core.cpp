// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Core operations with N variables set in the current context, for
// N = 0, 1, 8, 64, 1000, 10000. Case names: core/<op>/<N>. bench/run runs
// this with repetitions and reads the medians; bench/python_contextvars.py
// times the same operations in CPython.
//
// The variable looked up or set is always one of the N (pool[N-1], at the
// full depth of the trie); the "default" and "miss" variables have the two
// lowest indices, so their lookups also walk to the bottom before missing.

#include "common.hpp"

#include <benchmark/benchmark.h>
#include <cstddef>
#include <string>

namespace {

using bench::cv::context;
using bench::cv::context_var;

context_var<int>& hit_var(std::size_t n)
{
    return *bench::vars::get().pool[n - 1];
}

// Runs the timed loop inside a fresh copy of a context holding n values.
template<class Body>
void in_context(benchmark::State& st, std::size_t n, Body body)
{
    bench::in_context(n, [&] { body(st); });
}

void get_hit(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [n](benchmark::State& st) {
        auto& v = hit_var(n);
        for(auto _: st)
        {
            benchmark::DoNotOptimize(v.get());
        }
    });
}

void get_default(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [](benchmark::State& st) {
        auto& v = bench::vars::get().with_default;
        for(auto _: st)
        {
            benchmark::DoNotOptimize(v.get());
        }
    });
}

void get_miss(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [](benchmark::State& st) {
        auto& v = bench::vars::get().miss;
        for(auto _: st)
        {
            benchmark::DoNotOptimize(v.try_get());
        }
    });
}

void set(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [n](benchmark::State& st) {
        auto& v = hit_var(n);
        int i = 0;
        for(auto _: st)
        {
            auto t = v.set(++i);
            benchmark::DoNotOptimize(t);
        }
    });
}

// set() while something else holds the context's values (an enclosing
// handler's context, an executor's pin): the path is copied.
void set_shared(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [n](benchmark::State& st) {
        auto& v = hit_var(n);
        int i = 0;
        for(auto _: st)
        {
            context holder = bench::cv::copy_context();
            auto t = v.set(++i);
            benchmark::DoNotOptimize(t);
            benchmark::DoNotOptimize(&holder);
        }
    });
}

void set_reset(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [n](benchmark::State& st) {
        auto& v = hit_var(n);
        int i = 0;
        for(auto _: st)
        {
            auto t = v.set(++i);
            v.reset(t);
        }
    });
}

void scoped_set(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [n](benchmark::State& st) {
        auto& v = hit_var(n);
        int i = 0;
        for(auto _: st)
        {
            bench::cv::scoped_set g(v, ++i);
            benchmark::DoNotOptimize(&g);
        }
    });
}

void copy_context(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [](benchmark::State& st) {
        for(auto _: st)
        {
            context c = bench::cv::copy_context();
            benchmark::DoNotOptimize(&c);
            benchmark::ClobberMemory();
        }
    });
}

void run_noop(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [](benchmark::State& st) {
        context c = bench::cv::copy_context();
        for(auto _: st)
        {
            c.run([] {});
        }
    });
}

void bind_context(benchmark::State& st, std::size_t n)
{
    in_context(st, n, [](benchmark::State& st) {
        int x = 0;
        for(auto _: st)
        {
            auto b = bench::cv::bind_context([&x] { ++x; });
            std::move(b)();
        }
        benchmark::DoNotOptimize(x);
    });
}

} // namespace

int main(int argc, char** argv)
{
    bench::start_a_thread();
    bench::vars::get();

    struct op
    {
        char const* name;
        void (*fn)(benchmark::State&, std::size_t);
        bool needs_a_var; // N = 0 makes no sense
    };
    op const ops[] = {
        {"get_hit", get_hit, true},
        {"get_default", get_default, false},
        {"get_miss", get_miss, false},
        {"set", set, true},
        {"set_shared", set_shared, true},
        {"set_reset", set_reset, true},
        {"scoped_set", scoped_set, true},
        {"copy_context", copy_context, false},
        {"run", run_noop, false},
        {"bind_context", bind_context, false},
    };
    std::size_t const counts[] = {0, 1, 8, 64, 1000, 10000};

    for(op const& o: ops)
    {
        for(std::size_t n: counts)
        {
            if(n == 0 && o.needs_a_var)
            {
                continue;
            }
            bench::context_with(n); // build outside the timing
            std::string name = std::string("core/") + o.name + "/" + std::to_string(n);
            auto fn = o.fn;
            benchmark::RegisterBenchmark(name.c_str(), [fn, n](benchmark::State& st) { fn(st, n); });
        }
    }

    benchmark::Initialize(&argc, argv);
    if(benchmark::ReportUnrecognizedArguments(argc, argv))
    {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
