// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Propagation versus plain Asio, one io_context, one thread (after another
// thread has existed). Case names: asio/<family>/<variant>; one iteration
// runs `handlers` handlers (a counter in the output), so the time per
// handler is real_time / handlers. The scenarios are in common.hpp.

#include "common.hpp"

#include <benchmark/benchmark.h>
#include <cstddef>
#include <string>

namespace {

std::size_t handlers_per_iteration(std::string const& name)
{
    if(name.rfind("batch/", 0) == 0)
    {
        return 1000000; // as the issue asks: a batch of 1,000,000 posts, then run()
    }
    if(name.rfind("echo/", 0) == 0)
    {
        return 1000; // round trips: four system calls each
    }
    return 10000;
}

} // namespace

int main(int argc, char** argv)
{
    bench::start_a_thread();
    bench::vars::get();
    bench::context_with(1);
    bench::context_with(64);

    for(bench::scenario const& s: bench::scenarios())
    {
        std::size_t n = handlers_per_iteration(s.name);
        auto run = s.run;
        benchmark::RegisterBenchmark(("asio/" + s.name).c_str(), [run, n](benchmark::State& st) {
            bench::asio::io_context io(1);
            run(io, n); // warm Asio's recycled handler memory
            for(auto _: st)
            {
                run(io, n);
            }
            st.counters["handlers"] = static_cast<double>(n);
        })->Unit(benchmark::kMicrosecond)->UseRealTime();
    }

    benchmark::Initialize(&argc, argv);
    if(benchmark::ReportUnrecognizedArguments(argc, argv))
    {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
