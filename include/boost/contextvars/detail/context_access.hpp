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
#include <boost/contextvars/detail/split_root.hpp>
#include <boost/contextvars/detail/switch_notify.hpp>
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
    /// maps `index` to `v`, or removes it when `v` is null, among the
    /// flowing values or, with `local`, the flow::none ones, as a change made
    /// by `c`, so the new root carries `c`'s identity, which `c` gets now if
    /// it had none. Takes over the caller's reference to `v` only on
    /// success; strong guarantee.
    BOOST_FORCEINLINE static update_result update(context& c, thread_state* s, std::uint32_t index,
        value_node* v, bool local = false)
    {
        std::uint64_t id = c.ensure_id(s);
        update_result r{id, detail::update_split(c.root_, local, index, v, id, new_unique_id(s))};
        notify_update(); // thread_local mirrors follow set() and reset()
        return r;
    }

    /// The serial number of the innermost live suppress_flow guard made
    /// while `c` was current, or 0.
    static std::uint32_t& suppressed_by(context& c) noexcept
    {
        return c.suppressed_by_;
    }

    /// Whether work started in `c` takes an empty context (flow.hpp).
    static bool suppressed(context const& c) noexcept
    {
        return c.suppressed_by_ != 0;
    }

    /// Whether captures of `c` need a look at flow control (flow.hpp): a
    /// guard lives, or `c` holds flow::none values.
    static bool controls_flow(context const& c) noexcept
    {
        return c.suppressed_by_ != 0 || is_split(c.root_.get());
    }

    /// Makes a context current for its lifetime, without the "entered" flag.
    using install_guard = context::install_guard;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CONTEXT_ACCESS_HPP_INCLUDED
