// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests for <boost/contextvars/detail/node_cache.hpp>, the block each thread
// keeps from the last value node it freed for its next set(): that the
// set/reset loops it is for stop allocating, that a newly freed size takes
// the place of an unused one, that values of every size and alignment
// (cached, too big to cache, over-aligned) stay right however they
// interleave, that the block is freed at thread exit and by
// release_spare_node(), that nodes freed after the exit cleanup are not
// kept, that a node may die on another thread than the one that made it,
// and, under AddressSanitizer, that the kept block is poisoned. This file
// replaces the global operator new to count allocations (counting_new.hpp),
// which ThreadSanitizer's runtime does not allow: the TSan jobs leave it out
// (label core, not threads) and see the cache through every threaded test,
// since each set() goes through it.

#include <boost/contextvars/detail/node_cache.hpp>

#define BOOST_TEST_MODULE node_cache
#include <boost/test/unit_test.hpp>

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/scoped_set.hpp>
#include <boost/contextvars/token.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core_test_support.hpp"

#include "counting_new.hpp"

namespace cv = boost::contextvars;
using cv::context;
using cv::context_var;
using cv::scoped_set;
using cv::token;
using cv::detail::release_spare_node;

namespace {

using test_support::isolated, test_support::throws_on_copy, test_support::disarm_copies;

cv::detail::thread_state* tls()
{
    return cv::detail::state();
}

// A value whose node is bigger than the cache keeps.
struct big
{
    int id;
    char bytes[296];
};

// A value whose node is over-aligned: plain aligned new and delete.
struct alignas(64) aligned
{
    int id;
};

std::string long_string(int i)
{
    return std::string(40, char('a' + i % 26)) + std::to_string(i);
}

static_assert(sizeof(cv::detail::typed_value_node<int>) <= cv::detail::node_cache_max_size);
static_assert(sizeof(cv::detail::typed_value_node<std::string>) <= cv::detail::node_cache_max_size);
static_assert(sizeof(cv::detail::typed_value_node<big>) > cv::detail::node_cache_max_size);
static_assert(alignof(cv::detail::typed_value_node<aligned>) > __STDCPP_DEFAULT_NEW_ALIGNMENT__);

} // namespace

// The loops the cache is for: once warm, set+reset, set with the token
// dropped, and scoped_set replace a value without calling operator new.
BOOST_AUTO_TEST_CASE(set_loops_stop_allocating_after_the_first_iteration)
{
    context_var<int> v("v");
    isolated([&] {
        auto t0 = v.set(-1); // the value is there: set() replaces it in place
        release_spare_node();
        g_news = 0;
        g_counting = true;
        {
            auto t = v.set(0);
            v.reset(t);
        }
        std::size_t const first = g_news;
        for(int i = 1; i < 1000; ++i)
        {
            auto t = v.set(i);
            BOOST_TEST_REQUIRE(v.get() == i);
            v.reset(t);
        }
        std::size_t const set_reset = g_news - first;
        for(int i = 0; i < 1000; ++i)
        {
            auto t = v.set(i); // the token frees the value it replaced
        }
        std::size_t const set_only = g_news - first - set_reset;
        for(int i = 0; i < 1000; ++i)
        {
            scoped_set<int> g(v, i);
            BOOST_TEST_REQUIRE(v.get() == i);
        }
        std::size_t const scoped = g_news - first - set_reset - set_only;
        g_counting = false;
        BOOST_TEST(first == 1u); // the node, from operator new: the cache was empty
        BOOST_TEST(set_reset == 0u);
        BOOST_TEST(set_only == 0u);
        BOOST_TEST(scoped == 0u);
        BOOST_TEST(v.get() == 999);
        v.reset(t0);
        BOOST_TEST(v.try_get() == nullptr);
    });
}

// Only the value's own allocation is left for a std::string, even when the
// spare was an int node's block (the newly freed block takes its place); a
// node too big for the cache allocates at every set.
BOOST_AUTO_TEST_CASE(allocations_per_set_by_node_size)
{
    context_var<std::string> s("s", "default");
    context_var<big> b("b");
    isolated([&] {
        std::string const value = long_string(7);
        auto ts = s.set(value);
        auto tb = b.set(big{0, {}});
        context_var<int> iv("i");
        auto ti = iv.set(0);
        {
            auto t = iv.set(1);
            iv.reset(t); // the spare is now an int node's block
        }
        BOOST_TEST_REQUIRE(tls()->spare_size == sizeof(cv::detail::typed_value_node<int>));
        int const n = 200;
        g_news = 0;
        g_counting = true;
        for(int i = 0; i < n; ++i)
        {
            auto t = s.set(value); // the copy into the parameter allocates
            s.reset(t);
        }
        std::size_t const strings = g_news;
        for(int i = 0; i < n; ++i)
        {
            auto t = b.set(big{i, {}});
            b.reset(t);
        }
        std::size_t const bigs = g_news - strings;
        g_counting = false;
        // The first node is new (the spare is an int's); the string's
        // block then replaces the int's and is reused.
        BOOST_TEST(strings == std::size_t(n) + 1);
        BOOST_TEST(bigs == std::size_t(n));
        BOOST_TEST(s.get() == value);
        iv.reset(ti);
        b.reset(tb);
        s.reset(ts);
        BOOST_TEST(s.get() == "default");
    });
}

// Random set / reset / scoped_set / context copies over vars of every kind
// of node, each checked against a model after every step; then nothing is
// left allocated once the spare is released.
BOOST_AUTO_TEST_CASE(values_of_every_size_and_alignment_interleaved)
{
    context_var<int> vi("int");
    context_var<std::string> vs("string");
    context_var<big> vb("big");
    context_var<aligned> va("aligned");
    release_spare_node();
    long long const live_before = g_live_allocations.load();
    isolated([&] {
        std::mt19937 rng(12345);
        std::vector<token<int>> ti;
        std::vector<token<std::string>> ts;
        std::vector<token<big>> tb;
        std::vector<token<aligned>> ta;
        std::vector<int> mi, mb, ma;
        std::vector<std::string> ms;
        std::optional<context> keep; // sometimes shares the map, so set() copies the path
        // Resets the newest set() of `var`, if any.
        auto pop = [](auto const& var, auto& tokens, auto& model) {
            if(!tokens.empty())
            {
                var.reset(tokens.back());
                tokens.pop_back();
                model.pop_back();
            }
        };
        auto check = [&] {
            BOOST_TEST_REQUIRE((mi.empty() ? vi.try_get() == nullptr : vi.get() == mi.back()));
            BOOST_TEST_REQUIRE((ms.empty() ? vs.try_get() == nullptr : vs.get() == ms.back()));
            BOOST_TEST_REQUIRE((mb.empty() ? vb.try_get() == nullptr : vb.get().id == mb.back()));
            if(!mb.empty())
            {
                BOOST_TEST_REQUIRE(vb.get().bytes[295] == char(mb.back()));
            }
            BOOST_TEST_REQUIRE((ma.empty() ? va.try_get() == nullptr : va.get().id == ma.back()));
            if(!ma.empty())
            {
                BOOST_TEST_REQUIRE(reinterpret_cast<std::uintptr_t>(&va.get()) % 64 == 0u);
            }
        };
        for(int step = 0; step < 4000; ++step)
        {
            int const x = int(rng() % 1000);
            switch(rng() % 11)
            {
            case 0:
                ti.push_back(vi.set(x));
                mi.push_back(x);
                break;
            case 1:
                ts.push_back(vs.set(long_string(x)));
                ms.push_back(long_string(x));
                break;
            case 2:
            {
                big v{x, {}};
                v.bytes[295] = char(x);
                tb.push_back(vb.set(v));
                mb.push_back(x);
                break;
            }
            case 3:
                ta.push_back(va.set(aligned{x}));
                ma.push_back(x);
                break;
            case 4:
                pop(vi, ti, mi);
                break;
            case 5:
                pop(vs, ts, ms);
                break;
            case 6:
                pop(vb, tb, mb);
                break;
            case 7:
                pop(va, ta, ma);
                break;
            case 8:
            {
                scoped_set<int> g(vi, x);
                scoped_set<std::string> h(vs, long_string(x));
                BOOST_TEST_REQUIRE(vi.get() == x);
                BOOST_TEST_REQUIRE(vs.get() == long_string(x));
                break;
            }
            case 9:
                if(keep)
                {
                    keep.reset();
                }
                else
                {
                    keep.emplace(cv::copy_context());
                }
                break;
            case 10:
            {
                // Values set in a copy die with it, interleaved with ours.
                context c = cv::copy_context();
                c.run([&] {
                    auto t1 = vi.set(x + 1);
                    auto t2 = vs.set(long_string(x + 1));
                    auto t3 = va.set(aligned{x + 1});
                    BOOST_TEST_REQUIRE(vi.get() == x + 1);
                });
                break;
            }
            }
            check();
        }
        keep.reset();
        while(!ti.empty() || !ts.empty() || !tb.empty() || !ta.empty())
        {
            pop(vi, ti, mi);
            pop(vs, ts, ms);
            pop(vb, tb, mb);
            pop(va, ta, ma);
            check();
        }
    });
    release_spare_node();
    BOOST_TEST(g_live_allocations.load() == live_before);
}

BOOST_AUTO_TEST_CASE(release_spare_node_frees_the_block)
{
    context_var<int> v("v");
    isolated([&] {
        auto t0 = v.set(1);
        auto t = v.set(2);
        v.reset(t); // frees the node of 2: kept
    });
    BOOST_TEST_REQUIRE(tls()->spare_node != nullptr);
    BOOST_TEST(tls()->spare_size == sizeof(cv::detail::typed_value_node<int>));
    long long const live = g_live_allocations.load();
    release_spare_node();
    BOOST_TEST(tls()->spare_node == nullptr);
    BOOST_TEST(g_live_allocations.load() == live - 1);
    release_spare_node(); // nothing left: no-op
    BOOST_TEST(g_live_allocations.load() == live - 1);
}

#if defined(BOOST_CONTEXTVARS_DETAIL_ASAN)
// A use of a freed node that the cache kept is still a use of poisoned memory.
BOOST_AUTO_TEST_CASE(the_kept_block_is_poisoned)
{
    context_var<int> v("v");
    isolated([&] {
        auto t0 = v.set(1);
        auto t = v.set(2);
        auto const* freed = reinterpret_cast<char const*>(&v.get());
        v.reset(t); // the node of 2 is the spare now
        auto const* spare = static_cast<char const*>(tls()->spare_node);
        BOOST_TEST_REQUIRE((spare != nullptr && freed > spare && freed < spare + tls()->spare_size));
        BOOST_TEST(__asan_address_is_poisoned(freed) != 0);
        BOOST_TEST(__asan_region_is_poisoned(tls()->spare_node, tls()->spare_size) == tls()->spare_node);
        auto t2 = v.set(3); // takes the block: usable again
        BOOST_TEST(reinterpret_cast<char const*>(&v.get()) == freed);
        BOOST_TEST(__asan_address_is_poisoned(freed) == 0);
        BOOST_TEST(v.get() == 3);
    });
}
#endif

// A throwing T: the context is unchanged and the storage went back to the
// cache, not leaked.
BOOST_AUTO_TEST_CASE(a_throwing_value_gives_the_storage_back)
{
    context_var<throws_on_copy> v("v");
    isolated([&] {
        auto t0 = v.set(throws_on_copy(1));
        release_spare_node();
        long long const live = g_live_allocations.load();
        {
            disarm_copies guard;
            throws_on_copy::armed = true;
            // No move constructor: the prvalue initialises the parameter, and
            // the copy into the node, inside set(), throws.
            BOOST_CHECK_THROW(v.set(throws_on_copy(2)), std::runtime_error);
        }
        BOOST_TEST(v.get().v == 1);
        BOOST_TEST(tls()->spare_node != nullptr);
        release_spare_node();
        BOOST_TEST(g_live_allocations.load() == live);
        v.reset(t0);
    });
}

// A thread that sets values and exits leaves nothing allocated: its spare
// is freed among its thread_local destructors, whichever of its base
// context and its cache cleanup was registered first.
BOOST_AUTO_TEST_CASE(thread_exit_frees_the_spare)
{
    context_var<int> v("v");
    context_var<std::string> s("s");
    for(int base_first = 0; base_first < 2; ++base_first)
    {
        long long const live_before = g_live_allocations.load();
        std::atomic<bool> kept{false};
        std::thread th([&] {
            if(base_first)
            {
                auto t = v.set(100); // the base context is created first
            }
            isolated([&] {
                auto t0 = v.set(0);
                for(int i = 0; i < 100; ++i)
                {
                    auto t = v.set(i);
                    auto u = s.set(long_string(i));
                    s.reset(u);
                    v.reset(t);
                }
            });
            kept = tls()->spare_node != nullptr;
            // Values left in the base context die at thread exit too.
            auto t = v.set(1);
            auto u = s.set(long_string(1));
        });
        th.join();
        BOOST_TEST(kept.load());
        BOOST_TEST(g_live_allocations.load() == live_before, "base_first=" << base_first);
    }
}

namespace {

// A thread_local constructed before the cache's cleanup is destroyed after
// it: the node it frees then must go to operator delete, not into a cache
// that nobody will free.
struct late_holder
{
    std::optional<context> c;
    std::atomic<int>* status;
    std::atomic<bool>* spare_after;

    ~late_holder()
    {
        c.reset(); // frees a node
        *status = tls()->node_cache_status;
        *spare_after = tls()->spare_node != nullptr;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(nodes_freed_after_the_exit_cleanup_are_not_kept)
{
    context_var<int> v("v");
    long long const live_before = g_live_allocations.load();
    std::atomic<int> status{-1};
    std::atomic<bool> spare_after{true};
    std::atomic<bool> open{false};
    std::atomic<bool> kept{false};
    std::thread th([&] {
        static thread_local late_holder h; // before the cache is used on this thread
        h.status = &status;
        h.spare_after = &spare_after;
        h.c.emplace();
        h.c->run([&] { v.set(7); });
        open = tls()->node_cache_status == cv::detail::node_cache_open;
        isolated([&] {
            auto t0 = v.set(0);
            auto t = v.set(1);
            v.reset(t);
        });
        kept = tls()->spare_node != nullptr;
    });
    th.join();
    BOOST_TEST(open.load());
    BOOST_TEST(kept.load());
    BOOST_TEST(status.load() == int(cv::detail::node_cache_closed));
    BOOST_TEST(!spare_after.load());
    BOOST_TEST(g_live_allocations.load() == live_before);
}

// A node made on this thread and freed on another: the block becomes that
// thread's spare and is freed when it exits; this thread goes on.
BOOST_AUTO_TEST_CASE(a_node_freed_on_another_thread)
{
    context_var<int> v("v");
    context_var<std::string> s("s");
    release_spare_node();
    long long const live_before = g_live_allocations.load();
    {
        std::optional<context> c;
        c.emplace();
        c->run([&] {
            v.set(5);
            s.set(long_string(5));
        });
        context copy = *c; // the last reference goes with the copy
        c.reset();
        std::atomic<int> seen{0};
        std::thread th([&seen, &v, moved = std::move(copy)]() mutable {
            seen = moved.run([&] { return v.get(); });
            context dead = std::move(moved); // dies here, on this thread
        });
        th.join();
        BOOST_TEST(seen.load() == 5);
    }
    BOOST_TEST(g_live_allocations.load() == live_before);
    isolated([&] {
        for(int i = 0; i < 100; ++i)
        {
            auto t = v.set(i);
            BOOST_TEST_REQUIRE(v.get() == i);
        }
    });
    release_spare_node();
    BOOST_TEST(g_live_allocations.load() == live_before);
}
