// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The fuzzer's model check (fuzzing/model.hpp) on pseudo-random programs from
// a fixed seed, so that CI without libFuzzer covers it too; plus the committed
// seed corpus fuzzing/corpus/. Every program must agree with the model and
// leave no allocation behind. FUZZ_MODEL_INPUTS=n overrides the number of
// programs (CI's valgrind job runs fewer).

#include "../fuzzing/model.hpp"

#define BOOST_TEST_MODULE fuzz_model
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <random>
#include <string>
#include <vector>

// ---- allocation counter: every program must free what it allocated -------------

#include "counting_new.hpp"

namespace {

std::size_t inputs_to_run()
{
    if(char const* e = std::getenv("FUZZ_MODEL_INPUTS"))
    {
        return static_cast<std::size_t>(std::strtoull(e, nullptr, 10));
    }
    return 20000;
}

std::string hex(std::vector<std::uint8_t> const& v)
{
    static char const digits[] = "0123456789abcdef";
    std::string s;
    for(std::uint8_t b: v)
    {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

// Runs one program; on a disagreement or a leak, reports it with the input in hex.
bool run_checked(std::vector<std::uint8_t> const& in, cv_fuzz::interpreter::stats& st, char const* origin)
{
    // The thread's spare value node (detail/node_cache.hpp) is a cache, not
    // a leak: released on both sides, so that it is counted on neither.
    boost::contextvars::detail::release_spare_node();
    long long before = g_live_allocations.load();
    try
    {
        cv_fuzz::run_one(in.data(), in.size(), &st);
    }
    catch(cv_fuzz::mismatch const& e)
    {
        // Run it again with a trace of the operations for the report.
        std::vector<std::string> trace;
        try
        {
            cv_fuzz::interpreter::stats ignored;
            cv_fuzz::run_one(in.data(), in.size(), &ignored, &trace);
        }
        catch(std::exception const&)
        {
        }
        std::string tail;
        for(std::size_t i = trace.size() > 40 ? trace.size() - 40 : 0; i < trace.size(); ++i)
        {
            tail += "\n    " + trace[i];
        }
        BOOST_ERROR(origin << ": model mismatch: " << e.what() << "\n  input (" << in.size()
                           << " bytes): " << hex(in) << "\n  last operations:" << tail);
        return false;
    }
    catch(std::exception const& e)
    {
        BOOST_ERROR(origin << ": unexpected exception: " << e.what() << "\n  input: " << hex(in));
        return false;
    }
    boost::contextvars::detail::release_spare_node();
    long long after = g_live_allocations.load();
    if(after != before)
    {
        BOOST_ERROR(origin << ": " << (after - before) << " allocations not freed\n  input: " << hex(in));
        return false;
    }
    return true;
}

} // namespace

BOOST_AUTO_TEST_CASE(random_programs_agree_with_the_model)
{
    cv_fuzz::prepare_index_space();
    std::mt19937_64 gen(0x636f6e7465787476ull); // fixed seed: "contextv"
    std::size_t const n = inputs_to_run();
    cv_fuzz::interpreter::stats st;
    std::size_t bad = 0, bytes = 0;
    for(std::size_t i = 0; i < n && bad < 5; ++i)
    {
        // Mostly short programs, some long; a few with few vars so that they collide.
        std::size_t len = (i % 10 == 0) ? 64 + gen() % 2000 : 1 + gen() % 400;
        std::vector<std::uint8_t> in(len);
        for(auto& b: in)
        {
            b = static_cast<std::uint8_t>(gen());
        }
        if(i % 2 == 0 && len >= 2)
        {
            in[0] = static_cast<std::uint8_t>(gen() % 8);
            in[1] = 0;
        }
        bytes += len;
        if(!run_checked(in, st, ("program " + std::to_string(i)).c_str()))
        {
            ++bad;
        }
    }
    BOOST_TEST(bad == 0u);
    BOOST_TEST(st.expected_errors > 0u);
    auto u = [](std::uint64_t x) { return static_cast<unsigned long long>(x); };
    std::printf("fuzz_model: %zu programs, %zu bytes, %llu operations, %llu checks\n"
                "  misuse thrown as predicted: %llu (token: %llu empty, %llu used, %llu other var, %llu other "
                "context; %llu context entered/assigned while entered; %llu lookup)\n"
                "  %llu valid resets, %llu guards destroyed in a foreign context, %llu bound calls\n"
                "  flow control: %llu flow::none sets, %llu suppress_flow guards, %llu captures under a guard, "
                "%llu captures that left out a flow::none value\n",
        n, bytes, u(st.ops), u(st.checks), u(st.expected_errors), u(st.empty_token), u(st.used_token),
        u(st.other_var), u(st.other_context), u(st.entered_context), u(st.lookup), u(st.resets_ok),
        u(st.foreign_guard_drops), u(st.bound_calls), u(st.flow_none_sets), u(st.suppress_guards),
        u(st.suppressed_captures), u(st.flow_none_dropped));
    BOOST_TEST(st.other_context > 0u);
    BOOST_TEST(st.entered_context > 0u);
    BOOST_TEST(st.foreign_guard_drops > 0u);
    // the flow-control ops are generated, and change what is captured
    BOOST_TEST(st.flow_none_sets > 0u);
    BOOST_TEST(st.suppress_guards > 0u);
    BOOST_TEST(st.suppressed_captures > 0u);
    BOOST_TEST(st.flow_none_dropped > 0u);
}

BOOST_AUTO_TEST_CASE(seed_corpus_agrees_with_the_model)
{
    namespace fs = std::filesystem;
    fs::path dir = fs::path(__FILE__).parent_path().parent_path() / "fuzzing" / "corpus";
    if(!fs::is_directory(dir))
    {
        BOOST_TEST_MESSAGE("no corpus at " << dir);
        return;
    }
    cv_fuzz::interpreter::stats st;
    std::size_t files = 0;
    for(auto const& e: fs::directory_iterator(dir))
    {
        std::ifstream f(e.path(), std::ios::binary);
        std::vector<std::uint8_t> in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        BOOST_TEST(run_checked(in, st, e.path().filename().c_str()));
        ++files;
    }
    BOOST_TEST(files > 0u);
}
