// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A driver for valgrind --tool=callgrind: runs one case n times and exits.
//
//   bench_callgrind_cases <family/variant> <n>          a propagation scenario
//                                                       of common.hpp, n handlers
//   bench_callgrind_cases core/<op> <n> <vars>          a core operation, n times,
//                                                       with <vars> vars set
//   bench_callgrind_cases scale/<chain|ctx_chain> <n> <vars>
//                                                       the chained handler of common.hpp,
//                                                       n handlers, started in a context of
//                                                       <vars> vars: on the plain executor
//                                                       (plain Asio; tracking mode in the
//                                                       tracking build) or on context_executor
//   bench_callgrind_cases --list                        the scenarios: name, baseline
//                                                       [extra]
//
// bench/run runs each case for two values of n; the difference of the totals
// divided by the difference of n is the cost per handler (or per operation),
// without the start-up.

#include "common.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

namespace cv = bench::cv;

// Keeps a value observable without a benchmark library.
template<class T>
inline void keep(T const& v)
{
    __asm__ volatile("" : : "g"(&v) : "memory");
}

int core(std::string const& op, std::size_t n, std::size_t vars)
{
    auto& vs = bench::vars::get();
    if(vars == 0 && (op == "get_hit" || op == "set" || op == "set_shared" || op == "set_reset" || op == "scoped_set"))
    {
        std::fprintf(stderr, "%s needs at least one var\n", op.c_str());
        return 2;
    }
    cv::context_var<int>* hit = vars ? vs.pool[vars - 1].get() : nullptr;
    bool known = true;
    bench::in_context(vars, [&] {
        if(op == "get_hit")
            for(std::size_t i = 0; i < n; ++i) keep(hit->get());
        else if(op == "get_default")
            for(std::size_t i = 0; i < n; ++i) keep(vs.with_default.get());
        else if(op == "get_miss")
            for(std::size_t i = 0; i < n; ++i) keep(vs.miss.try_get());
        else if(op == "set")
            for(std::size_t i = 0; i < n; ++i) { auto t = hit->set(int(i)); keep(t); }
        else if(op == "set_shared")
            // set() while something else holds the context's values (an
            // enclosing handler's context, an executor's pin): a path copy.
            for(std::size_t i = 0; i < n; ++i)
            {
                cv::context holder = cv::copy_context();
                auto t = hit->set(int(i));
                keep(t);
                keep(holder);
            }
        else if(op == "set_reset")
            for(std::size_t i = 0; i < n; ++i) { auto t = hit->set(int(i)); hit->reset(t); }
        else if(op == "scoped_set")
            for(std::size_t i = 0; i < n; ++i) { cv::scoped_set g(*hit, int(i)); keep(g); }
        else if(op == "copy_context")
            for(std::size_t i = 0; i < n; ++i) { cv::context c = cv::copy_context(); keep(c); }
        else if(op == "run")
        {
            cv::context c = cv::copy_context();
            for(std::size_t i = 0; i < n; ++i) c.run([] {});
        }
        else if(op == "bind_context")
        {
            int x = 0;
            for(std::size_t i = 0; i < n; ++i) { auto b = cv::bind_context([&x] { ++x; }); std::move(b)(); }
            keep(x);
        }
        else
            known = false;
    });
    if(!known)
    {
        std::fprintf(stderr, "unknown core op: %s\n", op.c_str());
        return 2;
    }
    return 0;
}

int scale(std::string const& what, std::size_t n, std::size_t vars)
{
    bench::asio::io_context io(1);
    if(what == "chain")
    {
        bench::run_chain(io, io.get_executor(), n, vars, true);
    }
    else if(what == "ctx_chain")
    {
        bench::run_chain(io, bench::ctx_io_executor(io), n, vars, true);
    }
    else
    {
        std::fprintf(stderr, "unknown scale case: %s\n", what.c_str());
        return 2;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if(argc == 2 && std::strcmp(argv[1], "--list") == 0)
    {
        for(auto const& s: bench::scenarios())
        {
            std::printf("%s %s%s\n", s.name.c_str(), s.baseline.c_str(), s.extra ? " extra" : "");
        }
        return 0;
    }
    if(argc < 3)
    {
        std::fprintf(stderr, "usage: %s <family/variant> <n> | core/<op> <n> <vars> | scale/<case> <n> <vars> | --list\n",
            argv[0]);
        return 2;
    }
    std::string name = argv[1];
    std::size_t n = std::strtoull(argv[2], nullptr, 10);

    bench::start_a_thread();
    bench::vars::get();
    bool const is_core = name.rfind("core/", 0) == 0, is_scale = name.rfind("scale/", 0) == 0;
    if(is_core || is_scale)
    {
        std::size_t vars = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
        bench::context_with(vars);
        return is_core ? core(name.substr(5), n, vars) : scale(name.substr(6), n, vars);
    }
    bench::context_with(1);
    bench::context_with(64);
    bench::asio::io_context io(1);
    bench::find_scenario(name).run(io, n);
    return 0;
}
