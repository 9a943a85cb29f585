#ifndef BOOST_CONTEXTVARS_DETAIL_TRIE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_TRIE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The persistent map behind every context: an immutable, structurally shared
// 32-way bitmap trie keyed by the dense index of each context_var. Setting a
// value copies only the nodes on the path to it, so older roots never
// change. Keys are dense small integers rather than hashes, so there are no
// collisions and a lookup is a bit test and a popcount per level, at most
// three levels for 32,768 vars. The root of a map is an ordinary node whose
// `stamp`, `version` and `size` are meaningful: `stamp` is the identity of
// the context that produced this version, which lets a handler that runs on
// a snapshot keep the identity of the context it came from (a coroutine
// stays one context across suspensions). This header holds the nodes and the
// lookup; detail/trie_update.hpp the updates.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace boost {
namespace contextvars {
namespace detail {

struct node
{
    std::atomic<std::size_t> refs{1};
    std::uint32_t bitmap = 0;
    std::uint8_t count = 0;
    std::uint8_t capacity = 0; // slots allocated; spare ones let an unshared node grow in place
    std::uint8_t shift = 0;
    std::uint64_t stamp = 0;
    std::uint64_t version = 0; // root only: changes with every update, see lookup_cache_entry
    std::size_t size = 0;

    void** slots() noexcept
    {
        return reinterpret_cast<void**>(this + 1);
    }

    void* const* slots() const noexcept
    {
        return reinterpret_cast<void* const*>(this + 1);
    }
};

constexpr unsigned bits_per_level = 5;
constexpr unsigned max_levels = 7; // 7 * 5 >= 32

// Room for a few more slots than needed, so that a context setting a new
// variable usually updates its unshared root in place.
inline unsigned capacity_for(unsigned count) noexcept
{
    unsigned c = (count + 4u) & ~3u;
    return c < 32u ? c : 32u;
}

inline void* allocate_node(unsigned count)
{
    return ::operator new(sizeof(node) + capacity_for(count) * sizeof(void*));
}

inline node* construct_node(void* raw, unsigned count, unsigned shift) noexcept
{
    node* n = ::new(raw) node;
    n->count = static_cast<std::uint8_t>(count);
    n->capacity = static_cast<std::uint8_t>(capacity_for(count));
    n->shift = static_cast<std::uint8_t>(shift);
    return n;
}

inline void add_ref(node const* n) noexcept
{
    const_cast<node*>(n)->refs.fetch_add(1, std::memory_order_relaxed);
}

inline void release(node const* cn) noexcept
{
    node* n = const_cast<node*>(cn);
    if(n->refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
    {
        return;
    }
    void** s = n->slots();
    for(unsigned i = 0; i < n->count; ++i)
    {
        if(n->shift == 0)
        {
            release(static_cast<value_node*>(s[i]));
        }
        else
        {
            release(static_cast<node*>(s[i]));
        }
    }
    n->~node();
    ::operator delete(n);
}

inline void add_ref_slot(void* p, unsigned shift) noexcept
{
    if(shift == 0)
    {
        add_ref(static_cast<value_node*>(p));
    }
    else
    {
        add_ref(static_cast<node*>(p));
    }
}

inline unsigned digit(std::uint32_t index, unsigned shift) noexcept
{
    return (index >> shift) & 31u;
}

inline bool in_range(std::uint32_t index, unsigned shift) noexcept
{
    return shift + bits_per_level >= 32 || (index >> (shift + bits_per_level)) == 0;
}

inline unsigned min_shift(std::uint32_t index) noexcept
{
    unsigned s = 0;
    while(!in_range(index, s))
    {
        s += bits_per_level;
    }
    return s;
}

BOOST_FORCEINLINE unsigned popcount(std::uint32_t x) noexcept
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
    return static_cast<unsigned>(__builtin_popcount(x));
#else
    // Without -mpopcnt, __builtin_popcount becomes a library call.
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
#endif
}

inline unsigned slot_position(std::uint32_t bitmap, std::uint32_t bit) noexcept
{
    return popcount(bitmap & (bit - 1));
}

/// The value stored for `index`, or null.
inline value_node* find(node const* n, std::uint32_t index) noexcept
{
    if(n == nullptr || !in_range(index, n->shift))
    {
        return nullptr;
    }
    for(;;)
    {
        std::uint32_t bit = 1u << digit(index, n->shift);
        if((n->bitmap & bit) == 0)
        {
            return nullptr;
        }
        void* child = n->slots()[slot_position(n->bitmap, bit)];
        if(n->shift == 0)
        {
            return static_cast<value_node*>(child);
        }
        n = static_cast<node const*>(child);
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

// The updates (assoc, dissoc, update_in_place), which need the node layout above.
#include <boost/contextvars/detail/trie_update.hpp>

#endif // BOOST_CONTEXTVARS_DETAIL_TRIE_HPP_INCLUDED
