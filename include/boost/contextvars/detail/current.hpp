#ifndef BOOST_CONTEXTVARS_DETAIL_CURRENT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_CURRENT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The per-thread state: which context is current, and the block of context
// identities this thread hands out. Every access goes through one
// non-inlinable function whose result the optimiser cannot reuse: a
// coroutine that suspends on one thread and resumes on another must read the
// new thread's state, and gcc and clang have both been seen to cache a
// thread-local address across a co_await.

#include <boost/contextvars/config.hpp>
#include <atomic>
#include <cstdint>

namespace boost {
namespace contextvars {

class context;

namespace detail {

struct thread_state
{
    context* current;       // null until this thread's base context is needed
    std::uint64_t next_id;  // identities are handed out in per-thread blocks
    std::uint64_t end_id;
};

// Constant-initialised and trivially destructible: no guard, no wrapper.
inline thread_local thread_state tls_state = {nullptr, 0, 0};

BOOST_NOINLINE inline thread_state* state() noexcept
{
    thread_state* p = &tls_state;
    BOOST_CONTEXTVARS_OPAQUE_POINTER(p);
    return p;
}

/// A process-wide unique, never-zero identity for a context.
inline std::uint64_t new_context_id() noexcept
{
    constexpr std::uint64_t block = std::uint64_t(1) << 20;
    static std::atomic<std::uint64_t> blocks{0};

    thread_state* s = state();
    if(s->next_id == s->end_id)
    {
        s->next_id = (blocks.fetch_add(1, std::memory_order_relaxed) + 1) * block;
        s->end_id = s->next_id + block;
    }
    return s->next_id++;
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CURRENT_HPP_INCLUDED
