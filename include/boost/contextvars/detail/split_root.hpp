#ifndef BOOST_CONTEXTVARS_DETAIL_SPLIT_ROOT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_SPLIT_ROOT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The second root: where a context keeps the values of its flow::none
// variables. A context that never set one has a plain trie root, exactly as
// before, so nothing changes for programs that do not use the policy. Once
// it sets one, its root is a split root: a node one level above two tries,
// the flowing values and the local ones, laid out like any inner node (a
// bitmap of which parts exist, the parts compacted in its slots), so that
// copying, releasing, walking and printing a context need no special case.
// A capture for new work takes the flowing part alone, one pointer: O(1)
// whatever the number of variables. Lookups and updates go to the right
// part; only they ever see a split root.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

// A shift no trie level has: it marks a split root.
constexpr std::uint8_t split_shift = 0xFF;
constexpr std::uint32_t flowing_bit = 1;
constexpr std::uint32_t local_bit = 2;

inline bool is_split(node const* r) noexcept
{
    return r != nullptr && r->shift == split_shift;
}

/// The flowing values of the map whose root is `r` (all of them, unless `r`
/// is split), or null.
inline node const* flowing_part(node const* r) noexcept
{
    if(!is_split(r))
    {
        return r;
    }
    return (r->bitmap & flowing_bit) != 0 ? static_cast<node const*>(r->slots()[0]) : nullptr;
}

/// The local (flow::none) values of the map whose root is `r`, or null.
inline node const* local_part(node const* r) noexcept
{
    if(!is_split(r))
    {
        return nullptr;
    }
    return (r->bitmap & local_bit) != 0 ?
        static_cast<node const*>(r->slots()[(r->bitmap & flowing_bit) != 0 ? 1 : 0]) : nullptr;
}

/// Where a variable's value is looked up in the map whose root is `r`: the
/// local part for a flow::none variable (`local`), else `r` itself, whose
/// lookups resolve a split root to its flowing part.
inline node const* part_for(node const* r, bool local) noexcept
{
    return BOOST_UNLIKELY(local) ? local_part(r) : r;
}

/// What a capture for new work takes of `values`: its flowing part.
BOOST_FORCEINLINE snapshot flowing_values(snapshot const& values) noexcept
{
    node const* r = values.get();
    if(BOOST_LIKELY(!is_split(r)))
    {
        return values;
    }
    node const* f = flowing_part(r);
    if(f != nullptr)
    {
        add_ref(f);
    }
    return snapshot(f);
}

// The version of a split root whose last update gave its changed part
// `version`. Lookups are remembered by the version of the root they start
// from (lookup.hpp), a flowing variable's at the split root, a flow::none
// variable's at the local part; a variable made after another was destroyed
// may take over its index and identity, and be of the other kind. So the
// split root and its parts never share a version: ids never reach the top
// bit, and the split root's versions have it.
constexpr std::uint64_t split_version(std::uint64_t version) noexcept
{
    return version | (std::uint64_t(1) << 63);
}

// Fills `n` (room for two slots) as the split root of `flowing` and
// `locals`, adopting their references. A part left empty by its last
// removal is dropped: walks descend into every child, and only a map's own
// root may be empty.
inline void fill_split(node* n, snapshot&& flowing, snapshot&& locals, std::uint64_t stamp,
    std::uint64_t version) noexcept
{
    std::size_t size = 0;
    n->bitmap = 0;
    n->count = 0;
    for(snapshot* part: {&flowing, &locals})
    {
        if(node const* p = part->detach())
        {
            if(p->size == 0)
            {
                release(p);
                continue;
            }
            size += p->size;
            n->slots()[n->count++] = const_cast<node*>(p);
            n->bitmap |= part == &flowing ? flowing_bit : local_bit;
        }
    }
    n->size = size;
    n->stamp = stamp;
    n->version = split_version(version);
}

// Maps `index` to `v` (or removes it when `v` is null) in the flowing or the
// local part of `root`, as update() does for a plain root. A root that gains
// local values becomes split and stays split for the life of the map, even
// when its last local value goes: the split root carries the context's
// identity stamp, which its flowing part (shared, perhaps, with the context
// it was copied from) may not. The split root's version is derived from
// the part's (split_version). Strong guarantee.
BOOST_NOINLINE inline value_node* update_split_slow(snapshot& root, bool local, std::uint32_t index,
    value_node* v, std::uint64_t stamp, std::uint64_t version)
{
    node const* r = root.get();
    node const* f = flowing_part(r);
    node const* l = local_part(r);
    value_node* previous;
    if(is_split(r) && r->refs.load(std::memory_order_acquire) == 1)
    {
        // An unshared split root gives its parts away for the update, so
        // that an unshared part is updated in place, and is reused.
        node* n = const_cast<node*>(r);
        snapshot flowing(f), locals(l);
        n->bitmap = 0;
        n->count = 0;
        try
        {
            previous = update(local ? locals : flowing, index, v, stamp, version);
        }
        catch(...)
        {
            fill_split(n, std::move(flowing), std::move(locals), n->stamp, n->version);
            throw;
        }
        fill_split(n, std::move(flowing), std::move(locals), stamp, version);
        return previous;
    }
    for(node const* p: {f, l})
    {
        if(p != nullptr)
        {
            add_ref(p);
        }
    }
    snapshot flowing(f), locals(l);
    void* raw = allocate_node(2); // before anything changes: strong guarantee
    try
    {
        previous = update(local ? locals : flowing, index, v, stamp, version);
    }
    catch(...)
    {
        ::operator delete(raw);
        throw;
    }
    node* n = construct_node(raw, 0, split_shift);
    fill_split(n, std::move(flowing), std::move(locals), stamp, version);
    root = snapshot(n);
    return previous;
}

/// update() of the flowing or, with `local`, the local values of `root`.
BOOST_FORCEINLINE value_node* update_split(snapshot& root, bool local, std::uint32_t index, value_node* v,
    std::uint64_t stamp, std::uint64_t version)
{
    if(BOOST_LIKELY(!local && !is_split(root.get())))
    {
        return update(root, index, v, stamp, version);
    }
    return update_split_slow(root, local, index, v, stamp, version);
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_SPLIT_ROOT_HPP_INCLUDED
