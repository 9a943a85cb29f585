#ifndef BOOST_CONTEXTVARS_DETAIL_TRIE_WALK_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_TRIE_WALK_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// trie_walk: a depth-first walk over the values of one map, leftmost path
// first, holding a reference to the root it walks so that later changes to
// the context do not affect it. context::iterator is a thin wrapper of it.

#include <boost/contextvars/detail/snapshot.hpp>
#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/value_node.hpp>

namespace boost {
namespace contextvars {
namespace detail {

class trie_walk
{
public:
    /// The end of every walk.
    trie_walk() noexcept = default;

    /// A walk over `root`'s values, at its first value.
    explicit trie_walk(snapshot const& root): root_(root)
    {
        if(root_.get() != nullptr && root_.get()->count != 0)
        {
            stack_[0] = {root_.get(), 0};
            depth_ = 1;
            descend();
        }
    }

    /// The value the walk is at, or null at the end.
    value_node const* current() const noexcept
    {
        return current_;
    }

    /// On to the next value.
    void advance() noexcept
    {
        while(depth_ != 0)
        {
            frame& f = stack_[depth_ - 1];
            if(++f.pos < f.n->count)
            {
                descend();
                return;
            }
            --depth_;
        }
        current_ = nullptr;
    }

private:
    // Walk down the leftmost unvisited path to a value.
    void descend() noexcept
    {
        for(;;)
        {
            frame& f = stack_[depth_ - 1];
            void* child = f.n->slots()[f.pos];
            if(f.n->shift == 0)
            {
                current_ = static_cast<value_node const*>(child);
                return;
            }
            stack_[depth_++] = {static_cast<node const*>(child), 0};
        }
    }

    struct frame
    {
        node const* n;
        unsigned pos;
    };

    snapshot root_;
    frame stack_[max_levels + 1] = {}; // + 1: a split root (split_root.hpp)
    unsigned depth_ = 0;
    value_node const* current_ = nullptr;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_TRIE_WALK_HPP_INCLUDED
