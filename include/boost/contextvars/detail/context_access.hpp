// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// context_access: the library's own door into class context, so that the
// public class keeps only what users call. Through it the rest of the
// library reads a context's values and identity, makes the context a handler
// runs in, installs a context as current without the cross-thread "entered"
// flag (a fresh context cannot be entered elsewhere), and makes the one
// write to a context's values that set() and reset() share.

// context.hpp comes first, outside this header's guard: it includes this
// header at its end, once class context is complete.
#include <boost/contextvars/context.hpp>

#ifndef BOOST_CONTEXTVARS_DETAIL_CONTEXT_ACCESS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_CONTEXT_ACCESS_HPP_INCLUDED

#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <cstdint>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

struct context_access
{
    /// `c`'s identity, 0 while it has none.
    static std::uint64_t id(context const& c) noexcept
    {
        return c.id_;
    }

    /// `c`'s values.
    static snapshot const& root(context const& c) noexcept
    {
        return c.root_;
    }

    /// A context holding `s`; with `keeps_identity`, the identity stamped on
    /// `s`; with `continuing`, one whose work continues it.
    static context make(snapshot&& s, bool keeps_identity = false, bool continuing = false) noexcept
    {
        return context(std::move(s), keeps_identity, continuing);
    }

    /// Whether the work started in `c` continues it (whole-program tracking
    /// reads this when it captures).
    static bool continuing(context const& c) noexcept
    {
        return c.continuing_;
    }

    /// Whether a capture of `c` can carry its identity.
    static bool continuable(context const& c) noexcept
    {
        return c.continuable();
    }

    struct update_result
    {
        std::uint64_t id;      // the identity of `c`, which stamps the new root
        value_node* previous;  // the value replaced (the caller owns the reference), or null
    };

    /// The one write to a context's values (context_var::set() and reset()):
    /// maps `index` to `v`, or removes it when `v` is null, as a change made
    /// by `c`, so the new root carries `c`'s identity, which `c` gets now if
    /// it had none. Takes over the caller's reference to `v` only on
    /// success; strong guarantee.
    static update_result update(context& c, thread_state* s, std::uint32_t index, value_node* v)
    {
        std::uint64_t id = c.ensure_id(s);
        return {id, detail::update(c.root_, index, v, id, new_unique_id(s))};
    }

    /// Makes a context current for its lifetime, without the "entered" flag.
    using install_guard = context::install_guard;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CONTEXT_ACCESS_HPP_INCLUDED
