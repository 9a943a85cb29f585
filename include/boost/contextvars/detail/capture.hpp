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
#include <boost/contextvars/detail/split_root.hpp>
#include <cstdint>
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

/// What a capture is for: new work, a coroutine's own resumption, or work
/// that may be either (its type is unknown: it counts as a resumption when
/// the capturing context continues one, a coroutine's step).
enum class work_kind
{
    new_work,
    resumption,
    unknown
};

// capture_for() once the program has used flow control.
BOOST_NOINLINE inline capture controlled_capture(context const& c, bool continues, work_kind kind) noexcept
{
    if(!context_access::controls_flow(c) || kind == work_kind::resumption ||
       (kind == work_kind::unknown && context_access::continuing(c)))
    {
        return capture{context_access::root(c), continues, continues && context_access::continuable(c)};
    }
    if(context_access::suppressed(c))
    {
        return capture{};
    }
    // The flowing part is a root the identity never stamped: a new context.
    return capture{flowing_values(context_access::root(c)), continues, false};
}

/// Whether work of `kind` takes all the values of the context it starts in
/// (flow control aside, every kind does): true until the program uses flow
/// control, then only for a coroutine's resumption.
BOOST_FORCEINLINE bool takes_all_values(work_kind kind) noexcept
{
    return kind == work_kind::resumption || !BOOST_UNLIKELY(flow_control_used.load(std::memory_order_relaxed));
}

/// A capture in one word, as context_executor's pin and every tracked Asio
/// operation carry it (one word keeps them small): the root's address, whose
/// alignment leaves the low bits for the flags.
struct capture_word
{
    static constexpr std::uintptr_t pinned = 1; // a context_executor's pin (packed_capture)
    static constexpr std::uintptr_t continues = 2;
    static constexpr std::uintptr_t identity = 4;
    static constexpr std::uintptr_t flags = pinned | continues | identity;
    static_assert(alignof(node) >= 8, "the flags live in a root pointer's low bits");

    static node const* root(std::uintptr_t w) noexcept
    {
        return reinterpret_cast<node const*>(w & ~flags);
    }

    /// `c` in a word, which takes over its reference.
    static std::uintptr_t pack(capture c) noexcept
    {
        return reinterpret_cast<std::uintptr_t>(c.values.detach()) | (c.continues ? continues : 0) |
               (c.keeps_identity ? identity : 0);
    }

    /// The capture in `w`, which gives up its reference to it.
    static capture unpack(std::uintptr_t w) noexcept
    {
        return capture{snapshot(root(w)), (w & continues) != 0, (w & identity) != 0};
    }
};

/// What the work `kind` started in `c` (the current context of some thread,
/// or null) takes, in a word: a resumption everything; new work the flowing
/// values, none while a suppress_flow guard made in `c` lives (flow.hpp);
/// with `continues`, also the identity. Without flow::none values and
/// guards, the same for every kind, and built in a register.
BOOST_FORCEINLINE std::uintptr_t capture_word_for(context const* c, bool continues, work_kind kind) noexcept
{
    if(c == nullptr)
    {
        return continues ? capture_word::continues : 0;
    }
    if(!takes_all_values(kind))
    {
        return capture_word::pack(controlled_capture(*c, continues, kind));
    }
    node const* r = context_access::root(*c).get();
    if(r != nullptr)
    {
        add_ref(r);
    }
    std::uintptr_t w = reinterpret_cast<std::uintptr_t>(r);
    if(continues)
    {
        w |= context_access::continuable(*c) ? capture_word::continues | capture_word::identity :
                                               capture_word::continues;
    }
    return w;
}

/// capture_word_for() as a capture.
BOOST_FORCEINLINE capture capture_for(context const* c, bool continues, work_kind kind) noexcept
{
    return capture_word::unpack(capture_word_for(c, continues, kind));
}

/// What new work started now takes; with `continues`, it continues the
/// current context.
BOOST_FORCEINLINE capture capture_current(bool continues) noexcept
{
    return capture_for(current_context(), continues, work_kind::new_work);
}

/// Everything of the current context, for a coroutine's own resumption.
BOOST_FORCEINLINE capture capture_current_resumption() noexcept
{
    return capture_for(current_context(), true, work_kind::resumption);
}

/// Calls `f(args...)` with `ctx`, a context made for the call, current.
template<class F, class... A>
BOOST_FORCEINLINE decltype(auto) run_in(context ctx, F&& f, A&&... args)
{
    context_access::install_guard guard(ctx);
    return std::invoke(std::forward<F>(f), std::forward<A>(args)...);
}

/// Calls `f(args...)` in a context holding `c`'s values: a new context, or
/// the continuation of the captured one.
template<class F, class... A>
BOOST_FORCEINLINE decltype(auto) run_on(capture c, F&& f, A&&... args)
{
    return run_in(context_access::make(std::move(c.values), c.keeps_identity, c.continues), std::forward<F>(f),
        std::forward<A>(args)...);
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CAPTURE_HPP_INCLUDED
