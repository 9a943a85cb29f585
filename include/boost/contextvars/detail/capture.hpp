// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// What a handler carries from where it was made to where it runs (capture),
// and running a call in it (run_on): the one mechanism behind bind_context,
// context_executor and whole-program tracking.

// context.hpp comes first, outside this header's guard: it includes this
// header at its end, once class context is complete.
#include <boost/contextvars/context.hpp>

#ifndef BOOST_CONTEXTVARS_DETAIL_CAPTURE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_CAPTURE_HPP_INCLUDED

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/context_access.hpp>
#include <boost/contextvars/detail/current_context.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <functional>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

/// What a handler carries: the values it runs with, and whether it continues
/// the context they were taken from. Only a coroutine resuming continues its
/// context: it keeps its identity, so its tokens and scoped_sets made before
/// a suspension still reset. Every other handler, bound call or spawned
/// coroutine runs in a new context, as in Python, where a token from the
/// context that scheduled it is foreign.
struct capture
{
    snapshot values;
    // The handler continues the capturing context (whole-program tracking
    // passes this on to the work the handler starts).
    bool continues = false;
    // ... and the capturing context had an identity, which is its values'
    // stamp. A context without one (it never made a token) continues as a
    // new context: no token can name the identity it never had.
    bool keeps_identity = false;
};

/// The values of `c` (the current context of some thread, or null); with
/// `continues`, also its identity.
BOOST_FORCEINLINE capture capture_of(context const* c, bool continues) noexcept
{
    if(c == nullptr)
    {
        return capture{snapshot(), continues, false};
    }
    return capture{context_access::root(*c), continues, continues && context_access::continuable(*c)};
}

/// The current context's values; with `continues`, also its identity.
BOOST_FORCEINLINE capture capture_current(bool continues) noexcept
{
    return capture_of(current_context(), continues);
}

/// Calls `f(args...)` in a context holding `c`'s values: a new context, or
/// the continuation of the captured one.
template<class F, class... A>
BOOST_FORCEINLINE decltype(auto) run_on(capture c, F&& f, A&&... args)
{
    context ctx = context_access::make(std::move(c.values), c.keeps_identity, c.continues);
    context_access::install_guard guard(ctx);
    return std::invoke(std::forward<F>(f), std::forward<A>(args)...);
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CAPTURE_HPP_INCLUDED
