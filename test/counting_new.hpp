// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The tests' replacement of the global operator new/delete: it counts live
// allocations (a test checks it left none behind), counts the calling
// thread's allocations while `g_counting` is set, and can be armed to throw
// std::bad_alloc at the n-th allocation from now on the calling thread.
//
// Include this header from exactly ONE translation unit of a test binary.
// It defines the replacement functions themselves, not inline: the standard
// forbids an inline replacement of operator new ([replacement.functions]:
// "shall not be specified as inline"), so they cannot be made safe to
// include twice, and a second including TU in the same binary fails to link
// ("multiple definition of operator new"), loudly. Every test that uses it
// is one TU plus test_main.o, which does not include it.
//
// Under a sanitizer whose runtime owns operator new, a TU that only counts
// (and can skip its checks) defines BOOST_CONTEXTVARS_TEST_COUNTING_NEW_OPTIONAL
// before including: the replacement is then left out and
// BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS is 0.

#ifndef BOOST_CONTEXTVARS_TEST_COUNTING_NEW_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_COUNTING_NEW_HPP_INCLUDED

#include <boost/config.hpp>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

#if !defined(BOOST_CONTEXTVARS_TEST_COUNTING_NEW_OPTIONAL)
# define BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS 1
#elif defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#  define BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS 0
# endif
#endif
#ifndef BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS
# define BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS 1
#endif

namespace {

[[maybe_unused]] std::atomic<long long> g_live_allocations{0}; // allocations not yet freed, all threads
[[maybe_unused]] thread_local bool g_counting = false;         // count this thread's allocations in g_news
[[maybe_unused]] thread_local std::size_t g_news = 0;
[[maybe_unused]] thread_local bool g_armed = false;            // fault injection, see arm()
[[maybe_unused]] thread_local long g_countdown = 0;
[[maybe_unused]] thread_local bool g_fired = false;

// Out of line, so that g++ does not see malloc/free meet new/delete
// (-Wmismatched-new-delete).
[[maybe_unused]] BOOST_NOINLINE void* raw_alloc(std::size_t n)
{
    return std::malloc(n ? n : 1);
}

[[maybe_unused]] BOOST_NOINLINE void raw_free(void* p)
{
    std::free(p);
}

// Arms the fault: the n-th allocation from now on this thread throws bad_alloc.
[[maybe_unused]] void arm(long n)
{
    g_countdown = n;
    g_fired = false;
    g_armed = true;
}

// Disarms; returns whether the fault fired.
[[maybe_unused]] bool disarm()
{
    g_armed = false;
    return g_fired;
}

} // namespace

#if BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS

void* operator new(std::size_t n)
{
    if(g_armed && --g_countdown == 0)
    {
        g_armed = false;
        g_fired = true;
        throw std::bad_alloc();
    }
    if(g_counting)
    {
        ++g_news;
    }
    void* p = raw_alloc(n);
    if(p == nullptr)
    {
        throw std::bad_alloc();
    }
    g_live_allocations.fetch_add(1, std::memory_order_relaxed);
    return p;
}

void operator delete(void* p) noexcept
{
    if(p != nullptr)
    {
        g_live_allocations.fetch_sub(1, std::memory_order_relaxed);
        raw_free(p);
    }
}

void operator delete(void* p, std::size_t) noexcept
{
    ::operator delete(p);
}

void* operator new[](std::size_t n)
{
    return ::operator new(n);
}

void operator delete[](void* p) noexcept
{
    ::operator delete(p);
}

void operator delete[](void* p, std::size_t) noexcept
{
    ::operator delete(p);
}

#endif // BOOST_CONTEXTVARS_TEST_COUNT_ALLOCATIONS

#endif // BOOST_CONTEXTVARS_TEST_COUNTING_NEW_HPP_INCLUDED
