#ifndef BOOST_CONTEXTVARS_DETAIL_TRIE_UPDATE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_TRIE_UPDATE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The updates of the persistent trie (detail/trie.hpp): assoc and dissoc copy
// the path to one key into a new root and share the rest with the old one;
// update_in_place changes an unshared root itself. Every node an update needs
// is allocated before anything is linked, so an allocation failure leaves
// every existing map as it was (strong guarantee).

#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/container/static_vector.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace boost {
namespace contextvars {
namespace detail {

// Raw storage for the nodes of one update, allocated before anything is
// linked so that an allocation failure leaves every existing map untouched.
class node_batch
{
public:
    node_batch() = default;
    node_batch(node_batch const&) = delete;
    node_batch& operator=(node_batch const&) = delete;

    ~node_batch()
    {
        for(void* p: raw_)
        {
            ::operator delete(p);
        }
    }

    void reserve(unsigned count)
    {
        raw_.push_back(nullptr);
        raw_.back() = allocate_node(count);
    }

    void* take(std::size_t i) noexcept
    {
        void* p = raw_[i];
        raw_[i] = nullptr;
        return p;
    }

private:
    boost::container::static_vector<void*, max_levels + 1> raw_;
};

/// A new root equal to `root` with `index` mapped to `v`. Takes over the
/// caller's reference to `v` only on success; strong guarantee otherwise.
inline node* assoc(node const* root, std::uint32_t index, value_node* v, std::uint64_t stamp,
    std::uint64_t version)
{
    if(root != nullptr && !in_range(index, root->shift))
    {
        // Grow the trie upwards: wrap the old root until the index fits, then
        // update the wrapped tree. The wrapper is temporary.
        unsigned target = min_shift(index);
        node const* grown = root;
        add_ref(root);
        try
        {
            for(unsigned s = root->shift + bits_per_level; s <= target; s += bits_per_level)
            {
                node* w = construct_node(allocate_node(1), 1, s);
                w->bitmap = 1u;
                w->slots()[0] = const_cast<node*>(grown);
                w->size = root->size;
                grown = w;
            }
            node* r = assoc(grown, index, v, stamp, version);
            release(grown);
            return r;
        }
        catch(...)
        {
            release(grown);
            throw;
        }
    }

    unsigned top = root ? root->shift : min_shift(index);
    unsigned levels = top / bits_per_level + 1;

    // The existing node at each level along the path (null past its end).
    node const* old[max_levels] = {};
    bool present = false;
    {
        node const* n = root;
        for(unsigned i = 0; i < levels && n != nullptr; ++i)
        {
            old[i] = n;
            std::uint32_t bit = 1u << digit(index, n->shift);
            if((n->bitmap & bit) == 0)
            {
                break;
            }
            if(n->shift == 0)
            {
                present = true;
                break;
            }
            n = static_cast<node const*>(n->slots()[slot_position(n->bitmap, bit)]);
        }
    }

    // A slot is added at a level unless the path continues through it.
    auto grows_at = [&](unsigned i) {
        if(old[i] == nullptr)
        {
            return true;
        }
        std::uint32_t bit = 1u << digit(index, old[i]->shift);
        return (old[i]->bitmap & bit) == 0;
    };

    node_batch batch;
    for(unsigned i = 0; i < levels; ++i)
    {
        batch.reserve((old[i] ? old[i]->count : 0u) + (grows_at(i) ? 1u : 0u));
    }

    // Nothing below throws.
    void* child = v;
    for(unsigned k = levels; k-- > 0;)
    {
        unsigned shift = top - k * bits_per_level;
        std::uint32_t bit = 1u << digit(index, shift);
        node const* o = old[k];
        bool adds = grows_at(k);
        unsigned count = (o ? o->count : 0u) + (adds ? 1u : 0u);
        node* n = construct_node(batch.take(k), count, shift);
        n->bitmap = (o ? o->bitmap : 0u) | bit;
        unsigned pos = slot_position(n->bitmap, bit);
        void** dst = n->slots();
        if(o != nullptr)
        {
            void* const* src = o->slots();
            unsigned j = 0;
            for(unsigned i = 0; i < count; ++i)
            {
                if(i == pos)
                {
                    if(!adds)
                    {
                        ++j; // replaced: the old tree keeps its reference
                    }
                    continue;
                }
                dst[i] = src[j++];
                add_ref_slot(dst[i], shift);
            }
        }
        dst[pos] = child;
        child = n;
    }

    node* r = static_cast<node*>(child);
    r->stamp = stamp;
    r->version = version;
    r->size = (root ? root->size : 0u) + (present ? 0u : 1u);
    return r;
}

/// A new root equal to `root` without `index`, or null when `index` was not
/// there (the caller keeps `root`). Strong guarantee.
inline node* dissoc(node const* root, std::uint32_t index, std::uint64_t stamp, std::uint64_t version)
{
    if(find(root, index) == nullptr)
    {
        return nullptr;
    }

    unsigned levels = root->shift / bits_per_level + 1;
    node const* old[max_levels] = {};
    {
        node const* n = root;
        for(unsigned i = 0; i < levels; ++i)
        {
            old[i] = n;
            if(n->shift != 0)
            {
                std::uint32_t bit = 1u << digit(index, n->shift);
                n = static_cast<node const*>(n->slots()[slot_position(n->bitmap, bit)]);
            }
        }
    }

    // Below `first`, every node on the path becomes empty and disappears; the
    // root is kept even when empty, because it carries the stamp.
    unsigned first = levels - 1;
    while(first > 0 && old[first]->count == 1)
    {
        --first;
    }

    node_batch batch;
    for(unsigned i = 0; i <= first; ++i)
    {
        batch.reserve(old[i]->count - (i == first ? 1u : 0u));
    }

    void* child = nullptr;
    for(unsigned k = first + 1; k-- > 0;)
    {
        node const* o = old[k];
        std::uint32_t bit = 1u << digit(index, o->shift);
        bool removes = (k == first);
        unsigned count = o->count - (removes ? 1u : 0u);
        node* n = construct_node(batch.take(k), count, o->shift);
        n->bitmap = removes ? (o->bitmap & ~bit) : o->bitmap;
        unsigned pos = slot_position(o->bitmap, bit);
        void* const* src = o->slots();
        void** dst = n->slots();
        unsigned j = 0;
        for(unsigned i = 0; i < o->count; ++i)
        {
            if(i == pos)
            {
                if(!removes)
                {
                    dst[j++] = child;
                }
                continue;
            }
            dst[j] = src[i];
            add_ref_slot(dst[j], o->shift);
            ++j;
        }
        child = n;
    }

    node* r = static_cast<node*>(child);
    r->stamp = stamp;
    r->version = version;
    r->size = root->size - 1;
    return r;
}

/// The common set(): `index` already mapped in an unshared path, its value
/// replaced by `v` (not null). Inlined; returns the value replaced, whose
/// reference moves to the caller, or null having changed nothing (the
/// caller then takes the general route).
BOOST_FORCEINLINE value_node* replace_in_place(node* root, std::uint32_t index, value_node* v,
    std::uint64_t stamp, std::uint64_t version) noexcept
{
    if((index >> root->shift) >= 32u) // !in_range(): no shift exceeds 30
    {
        return nullptr;
    }
    node* n = root;
    for(;;)
    {
        std::uint32_t bit = 1u << digit(index, n->shift);
        if(n->refs.load(std::memory_order_acquire) != 1 || (n->bitmap & bit) == 0)
        {
            return nullptr;
        }
        void** s = n->slots() + slot_position(n->bitmap, bit);
        if(n->shift == 0)
        {
            value_node* previous = static_cast<value_node*>(*s);
            *s = v;
            root->stamp = stamp;
            root->version = version;
            return previous;
        }
        n = static_cast<node*>(*s);
    }
}

/// A new root equal to `root` with the value `index` maps to replaced by
/// `v`, the path copied with one slot changed: assoc()'s commonest case, a
/// set() whose map something else shares (an enclosing handler's context, an
/// executor's pin), without its machinery for adding. Null, having changed
/// nothing, when `index` is not mapped. Takes over the caller's reference to
/// `v` only on success, and `previous` then names the value replaced, which
/// the old root keeps; strong guarantee.
inline node* replace_copy(node const* root, std::uint32_t index, value_node* v, std::uint64_t stamp,
    std::uint64_t version, value_node*& previous)
{
    if((index >> root->shift) >= 32u) // !in_range(): no shift exceeds 30
    {
        return nullptr;
    }
    node const* path[max_levels];
    unsigned pos[max_levels];
    unsigned levels = 0;
    for(node const* n = root;;)
    {
        std::uint32_t bit = 1u << digit(index, n->shift);
        if((n->bitmap & bit) == 0)
        {
            return nullptr;
        }
        path[levels] = n;
        pos[levels] = slot_position(n->bitmap, bit);
        if(n->shift == 0)
        {
            break;
        }
        n = static_cast<node const*>(n->slots()[pos[levels++]]);
    }

    // Level k's copy, in `raw`, pointing to `child` where the path goes on.
    // Does not throw.
    auto copy = [&](void* raw, unsigned k, void* child) {
        node const* o = path[k];
        node* n = construct_node(raw, o->count, o->shift);
        n->bitmap = o->bitmap;
        void* const* src = o->slots();
        void** dst = n->slots();
        for(unsigned i = 0; i < o->count; ++i)
        {
            dst[i] = src[i];
            if(i != pos[k])
            {
                add_ref_slot(src[i], o->shift); // the replaced one the old tree keeps
            }
        }
        dst[pos[k]] = child;
        return n;
    };
    node* r;
    if(levels == 0)
    {
        r = copy(allocate_node(root->count), 0, v); // a small map: one node, no batch
    }
    else
    {
        node_batch batch;
        for(unsigned i = 0; i <= levels; ++i)
        {
            batch.reserve(path[i]->count);
        }
        void* child = v;
        for(unsigned k = levels + 1; k-- > 0;)
        {
            child = copy(batch.take(k), k, child);
        }
        r = static_cast<node*>(child);
    }
    previous = static_cast<value_node*>(path[levels]->slots()[pos[levels]]);
    r->stamp = stamp;
    r->version = version;
    r->size = root->size;
    return r;
}

/// Maps `index` to `v`, or removes it when `v` is null, by changing the
/// nodes themselves. Only valid when the caller holds the sole reference to
/// `root`; it checks that no node on the path is shared (with a snapshot, say)
/// and that a node that must grow has room, and returns false, changing
/// nothing, otherwise. On success `v`'s reference moves into the map and the
/// map's reference to the value it replaced moves into `previous`.
inline bool update_in_place(node* root, std::uint32_t index, value_node* v, std::uint64_t stamp,
    std::uint64_t version, value_node*& previous) noexcept
{
    previous = nullptr;
    if(!in_range(index, root->shift))
    {
        return false;
    }
    node* n = root;
    for(;;)
    {
        if(n->refs.load(std::memory_order_acquire) != 1)
        {
            return false;
        }
        std::uint32_t bit = 1u << digit(index, n->shift);
        bool present = (n->bitmap & bit) != 0;
        unsigned pos = slot_position(n->bitmap, bit);
        void** s = n->slots();
        if(n->shift != 0)
        {
            if(!present)
            {
                return v == nullptr; // nothing to remove, nothing changed
            }
            n = static_cast<node*>(s[pos]);
            continue;
        }
        if(v != nullptr && present)
        {
            previous = static_cast<value_node*>(s[pos]);
            s[pos] = v;
        }
        else if(v != nullptr)
        {
            if(n->count == n->capacity)
            {
                return false;
            }
            for(unsigned i = n->count; i > pos; --i)
            {
                s[i] = s[i - 1];
            }
            s[pos] = v;
            n->bitmap |= bit;
            ++n->count;
            ++root->size;
        }
        else if(present)
        {
            if(n->count == 1 && n != root)
            {
                return false; // the node itself would have to go
            }
            previous = static_cast<value_node*>(s[pos]);
            for(unsigned i = pos; i + 1 < n->count; ++i)
            {
                s[i] = s[i + 1];
            }
            n->bitmap &= ~bit;
            --n->count;
            --root->size;
        }
        root->stamp = stamp;
        root->version = version;
        return true;
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_TRIE_UPDATE_HPP_INCLUDED
