#ifndef BOOST_CONTEXTVARS_DETAIL_VALUE_NODE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_VALUE_NODE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The values stored in a context: one reference-counted node per set(). The
// payload type is erased behind a destroy function, so that the trie holding
// the nodes is not a template. Nodes are allocated through the thread's node
// cache (node_cache.hpp), which keeps one freed node for the next set().

#include <boost/contextvars/detail/node_cache.hpp>
#include <boost/contextvars/detail/var_registry.hpp>
#include <atomic>
#include <cstddef>
#include <new>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

struct value_node
{
    std::atomic<std::size_t> refs{1};
    var_info* var;
    void (*destroy)(value_node*) noexcept;

    // The reference to `v` is taken by the derived constructor once the
    // value exists, so a throwing T leaves the count alone.
    value_node(var_info* v, void (*d)(value_node*) noexcept) noexcept: var(v), destroy(d) {}
};

template<class T>
struct typed_value_node: value_node
{
    T value;

    template<class... A>
    explicit typed_value_node(var_info* v, A&&... a):
        value_node(v, &typed_value_node::destroy_impl), value(std::forward<A>(a)...)
    {
        add_ref(v);
    }

    /// A new node holding `T(a...)`, with one reference. Strong guarantee:
    /// if T's constructor throws, the storage is given back.
    template<class... A>
    static typed_value_node* make(thread_state* s, var_info* v, A&&... a)
    {
        if constexpr(from_node_cache())
        {
            void* p = allocate_value_node(s, sizeof(typed_value_node));
            try
            {
                return ::new(p) typed_value_node(v, std::forward<A>(a)...);
            }
            catch(...)
            {
                deallocate_value_node(p, sizeof(typed_value_node));
                throw;
            }
        }
        else
        {
            (void)s;
            return new typed_value_node(v, std::forward<A>(a)...);
        }
    }

    static void destroy_impl(value_node* p) noexcept
    {
        var_info* v = p->var;
        auto* n = static_cast<typed_value_node*>(p);
        if constexpr(from_node_cache())
        {
            n->~typed_value_node();
            deallocate_value_node(n, sizeof(typed_value_node));
        }
        else
        {
            delete n;
        }
        release(v);
    }

private:
    // The cache's blocks come from ::operator new(size), aligned for any type
    // up to the default new alignment; an over-aligned node keeps the aligned
    // new and delete.
    static constexpr bool from_node_cache() noexcept
    {
        return alignof(typed_value_node) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;
    }
};

inline void add_ref(value_node* v) noexcept
{
    v->refs.fetch_add(1, std::memory_order_relaxed);
}

inline void release(value_node* v) noexcept
{
    if(v->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    {
        v->destroy(v);
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_VALUE_NODE_HPP_INCLUDED
