#ifndef BOOST_CONTEXTVARS_DETAIL_LOOKUP_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_LOOKUP_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Finding a variable's value in a map: by its dense index, then checked
// against its identity, so that a value stored under the same index by
// another variable (possible only when two modules of a program each have
// their own registry, see config.hpp) reads as absent, never as a value of
// the wrong type; and the same through the thread's lookup cache, which a
// hit answers without walking the trie.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/split_root.hpp>
#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/contextvars/detail/var_registry.hpp>
#include <cstdint>

namespace boost {
namespace contextvars {
namespace detail {

/// The value stored for the variable `var`, whose index is `index`, in the
/// map `r` (null: empty; split: its flowing part), or null.
inline value_node const* find_value(node const* r, std::uint32_t index, var_info const* var) noexcept
{
    value_node const* v = find(flowing_part(r), index);
    return v != nullptr && v->var == var ? v : nullptr;
}

// The cache's miss path, kept out of line: the hit path then needs few
// enough registers to run without a stack frame of its own.
BOOST_NOINLINE inline value_node const* fill_lookup_cache(lookup_cache_entry& e, node const* r,
    std::uint32_t index, var_info const* var) noexcept
{
    value_node const* v = find_value(r, index, var);
    e.version = r->version;
    e.var = var;
    e.value = v;
    return v;
}

/// find_value() in the map `r` (not null; the current context's) on the
/// thread whose state is `s`, through the thread's lookup cache: a hit costs
/// the same however many variables the map holds, and is cheaper than even a
/// one-level walk (no popcount). The cache is keyed by identity, and filled
/// only with checked results, so a hit needs no further check. The slot
/// depends on the map's version as well as the variable: a thread that runs
/// the handlers of many requests in turn, each in its own context, reads the
/// same variable in many maps, and would otherwise evict one request's entry
/// with the next's. (A sum, not a hash: it costs one instruction, and the
/// versions of maps made one after another differ in their low bits.)
inline value_node const* cached_find(thread_state* s, node const* r, std::uint32_t index,
    var_info const* var) noexcept
{
    std::uint64_t const version = r->version;
    lookup_cache_entry& e = s->cache[(version + index) % lookup_cache_size];
    if(BOOST_LIKELY(e.version == version && e.var == var))
    {
        return static_cast<value_node const*>(e.value);
    }
    return fill_lookup_cache(e, r, index, var);
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_LOOKUP_HPP_INCLUDED
