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
// stays one context across suspensions).

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/container/static_vector.hpp>
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

inline unsigned popcount(std::uint32_t x) noexcept
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

#endif // BOOST_CONTEXTVARS_DETAIL_TRIE_HPP_INCLUDED
