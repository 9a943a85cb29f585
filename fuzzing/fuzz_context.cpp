// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// libFuzzer target: interprets the input as a program of context-variable
// operations and checks each observable against a model (fuzzing/model.hpp).
// Build and run with fuzzing/run.

#include "model.hpp"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    try
    {
        cv_fuzz::run_one(data, size);
    }
    catch(cv_fuzz::mismatch const& e)
    {
        std::fprintf(stderr, "model mismatch: %s\n", e.what());
        std::abort();
    }
    return 0;
}
