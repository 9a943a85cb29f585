#ifndef BOOST_CONTEXTVARS_DETAIL_SNAPSHOT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_SNAPSHOT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// snapshot: the owning handle to a trie root that contexts, executors and
// handlers carry. One pointer; taking one costs a reference-count increment
// (nothing at all for the empty map). update() changes the map a snapshot
// owns, in place when nothing shares the path, else by path copy.

#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <cstdint>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

class snapshot
{
public:
    snapshot() noexcept = default;

    explicit snapshot(node const* adopt) noexcept: p_(adopt) {}

    BOOST_FORCEINLINE snapshot(snapshot const& o) noexcept: p_(o.p_)
    {
        if(p_)
        {
            add_ref(p_);
        }
    }

    snapshot(snapshot&& o) noexcept: p_(o.p_)
    {
        o.p_ = nullptr;
    }

    snapshot& operator=(snapshot const& o) noexcept
    {
        snapshot(o).swap(*this);
        return *this;
    }

    snapshot& operator=(snapshot&& o) noexcept
    {
        snapshot(std::move(o)).swap(*this);
        return *this;
    }

    ~snapshot()
    {
        if(p_)
        {
            release(p_);
        }
    }

    void swap(snapshot& o) noexcept
    {
        std::swap(p_, o.p_);
    }

    node const* get() const noexcept
    {
        return p_;
    }

    /// Gives up ownership of the root without releasing it.
    node const* detach() noexcept
    {
        return std::exchange(p_, nullptr);
    }

    std::uint64_t stamp() const noexcept
    {
        return p_ ? p_->stamp : 0u;
    }

    friend bool operator==(snapshot const& a, snapshot const& b) noexcept
    {
        return a.p_ == b.p_;
    }

    friend bool operator!=(snapshot const& a, snapshot const& b) noexcept
    {
        return a.p_ != b.p_;
    }

private:
    node const* p_ = nullptr;
};

// update() apart from its common case: out of line, so that every set()
// and reset() inlines only that case.
BOOST_NOINLINE inline value_node* update_general(snapshot& root, std::uint32_t index, value_node* v,
    std::uint64_t stamp, std::uint64_t version)
{
    value_node* previous = nullptr;
    node* updated = nullptr;
    if(root.get() != nullptr)
    {
        // A value replaced in a path update() found shared; then an insertion
        // or a removal in place.
        if(v != nullptr && (updated = replace_copy(root.get(), index, v, stamp, version, previous)) != nullptr)
        {
            add_ref(previous); // the old root, released below, keeps its own
            root = snapshot(updated);
            return previous;
        }
        if(update_in_place(const_cast<node*>(root.get()), index, v, stamp, version, previous))
        {
            return previous; // the map's reference moves to the caller
        }
    }
    updated = v != nullptr ? assoc(root.get(), index, v, stamp, version) : dissoc(root.get(), index, stamp, version);
    if(updated == nullptr)
    {
        return nullptr; // nothing to remove
    }
    previous = find(root.get(), index);
    if(previous != nullptr)
    {
        add_ref(previous); // the old root, released below, keeps its own
    }
    root = snapshot(updated);
    return previous;
}

/// Maps `index` to `v` (removes it when `v` is null) in the map `root`
/// owns, in place when nothing shares the path, else by path copy. Returns
/// the value it replaced, with a reference the caller now owns (null if
/// there was none). Takes over the caller's reference to `v` only on
/// success; strong guarantee.
BOOST_FORCEINLINE value_node* update(snapshot& root, std::uint32_t index, value_node* v, std::uint64_t stamp,
    std::uint64_t version)
{
    if(v != nullptr && root.get() != nullptr)
    {
        if(value_node* previous = replace_in_place(const_cast<node*>(root.get()), index, v, stamp, version))
        {
            return previous;
        }
    }
    return update_general(root, index, v, stamp, version);
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_SNAPSHOT_HPP_INCLUDED
