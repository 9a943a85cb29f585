#ifndef BOOST_CONTEXTVARS_DETAIL_CURRENT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_CURRENT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The per-thread state: which context is current, the block of context
// identities this thread hands out, and the value node it keeps for reuse.
// It is one state per process, shared by every module of the program (see
// BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE in config.hpp). Every access goes
// through one non-inlinable function whose result the optimiser cannot
// reuse: a coroutine that suspends on one thread and resumes on another must
// read the new thread's state, and gcc and clang have both been seen to cache
// a thread-local address across a co_await.

#include <boost/contextvars/config.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace boost {
namespace contextvars {

class context;

namespace detail {

struct var_info;

// One remembered lookup in a deep map (see detail/lookup.hpp). `version`
// names one state of one root and is never reused, so a hit is always
// current and its value alive; `var` is the identity looked up.
struct lookup_cache_entry
{
    std::uint64_t version;
    void const* value;
    var_info const* var;
};

constexpr unsigned lookup_cache_size = 64;

struct thread_state
{
    context* current;       // null until this thread's base context is needed
    std::uint64_t next_id;  // identities and versions come in per-thread blocks
    std::uint64_t end_id;
    // Whole-program tracking: what kind of BOOST_ASIO_HANDLER_LOCATION scope
    // encloses the code running now (see asio/detail/tracking_location.hpp).
    unsigned char location_kind;
    // ... and whether a context_executor pinned a completion inside it.
    bool completion_pinned;
    // Whether this thread's value node cache is unused, open or closed
    // (detail/node_cache.hpp).
    unsigned char node_cache_status;
    // Whole-program tracking: the context a Beast operation asks the next
    // operation created on this thread to capture, a packed capture's bits
    // (see asio/detail/tracking_beast.hpp).
    std::uintptr_t offered_capture;
    // The last serial number given to a suppress_flow guard (flow.hpp).
    std::uint32_t guard_serial;
    // The storage of the last value node this thread freed, kept for its next
    // set() (detail/node_cache.hpp): `spare_size` bytes, or null.
    void* spare_node;
    std::size_t spare_size;
    lookup_cache_entry cache[lookup_cache_size];
};

// Constant-initialised and trivially destructible: no guard, no wrapper.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline thread_local thread_state tls_state = {};

// Whether the program ever made a flow::none variable or a suppress_flow
// guard (flow.hpp): until then a capture pays this one relaxed load for
// flow control. Set once, never cleared.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<bool> flow_control_used{false};

// The next block of unique ids to hand out, process-wide.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<std::uint64_t> unique_id_blocks{0};

BOOST_NOINLINE inline thread_state* state() noexcept
{
    thread_state* p = &tls_state;
    BOOST_CONTEXTVARS_OPAQUE_POINTER(p);
    return p;
}

/// A process-wide unique, never-zero number: context identities and map
/// versions.
inline std::uint64_t new_unique_id(thread_state* s) noexcept
{
    constexpr std::uint64_t block = std::uint64_t(1) << 20;
    if(s->next_id == s->end_id)
    {
        s->next_id = (unique_id_blocks.fetch_add(1, std::memory_order_relaxed) + 1) * block;
        s->end_id = s->next_id + block;
    }
    return s->next_id++;
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CURRENT_HPP_INCLUDED
