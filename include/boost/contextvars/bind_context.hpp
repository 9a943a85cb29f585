#ifndef BOOST_CONTEXTVARS_BIND_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_BIND_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// bind_context(f): a callable that runs f in a copy of the context current
// when it was bound, for handing work to std::thread or any other executor.
// <boost/contextvars/asio.hpp> makes the same wrapper a completion token.

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {

template<class T> class context_binder;

namespace detail {
struct binder_access;
} // namespace detail

// An Asio completion token (use_awaitable, deferred, ...) bound without
// <boost/contextvars/asio.hpp> is called as a handler: say what is missing.
#define BOOST_CONTEXTVARS_NOT_INVOCABLE_MESSAGE \
    "bind_context: the target cannot be called with these arguments. If it is an Asio completion token " \
    "(use_awaitable, deferred, ...), include <boost/contextvars/asio.hpp>, which makes bind_context(token) " \
    "a completion token"

/// A callable (and, with `<boost/contextvars/asio.hpp>`, a completion token)
/// that runs its target in a fresh copy of a captured context on every call.
template<class T>
class context_binder
{
public:
    using target_type = T;

    /// Binds `target` to the values of `ctx`.
    template<class U>
    context_binder(U&& target, context const& ctx): target_(std::forward<U>(target)),
        capture_{detail::context_access::root(ctx), false}, explicit_(true)
    {
    }

    /// Calls the target in a new context holding the captured values; its
    /// changes are discarded when it returns. As in Python, where
    /// `ctx.run()` of a fresh copy is the same thing, a token made before
    /// binding is foreign there.
    template<class... A>
    decltype(auto) operator()(A&&... args) &
    {
        constexpr bool invocable = std::is_invocable<T&, A&&...>::value;
        static_assert(invocable, BOOST_CONTEXTVARS_NOT_INVOCABLE_MESSAGE);
        if constexpr(invocable)
        {
            return detail::run_on(capture_, target_, std::forward<A>(args)...);
        }
    }

    template<class... A>
    decltype(auto) operator()(A&&... args) const&
    {
        constexpr bool invocable = std::is_invocable<T const&, A&&...>::value;
        static_assert(invocable, BOOST_CONTEXTVARS_NOT_INVOCABLE_MESSAGE);
        if constexpr(invocable)
        {
            return detail::run_on(capture_, target_, std::forward<A>(args)...);
        }
    }

    template<class... A>
    decltype(auto) operator()(A&&... args) &&
    {
        constexpr bool invocable = std::is_invocable<T, A&&...>::value;
        static_assert(invocable, BOOST_CONTEXTVARS_NOT_INVOCABLE_MESSAGE);
        if constexpr(invocable)
        {
            return detail::run_on(std::move(capture_), std::move(target_), std::forward<A>(args)...);
        }
    }

    /// The wrapped callable or completion token.
    T& get() noexcept
    {
        return target_;
    }

    T const& get() const noexcept
    {
        return target_;
    }

    /// The captured context, as a new context object.
    context get_context() const noexcept
    {
        return detail::context_access::make(detail::snapshot(capture_.values));
    }

private:
    friend struct detail::binder_access;

    // Binds `target` to a capture already taken (bind_context(f), and the
    // Asio integration's handlers).
    template<class U>
    context_binder(U&& target, detail::capture c, bool explicit_context):
        target_(std::forward<U>(target)), capture_(std::move(c)), explicit_(explicit_context)
    {
    }

    T target_;
    detail::capture capture_;
    bool explicit_;
};

namespace detail {

// The library's own door into context_binder, as context_access is into
// context: binding to a capture already taken, and what a binder captured.
struct binder_access
{
    template<class T, class U>
    static context_binder<T> make(U&& target, capture c, bool explicit_context)
    {
        return context_binder<T>(std::forward<U>(target), std::move(c), explicit_context);
    }

    // Whether the context was given explicitly (`bind_context(ctx, t)`);
    // otherwise an asynchronous operation recaptures it at initiation.
    template<class T>
    static bool has_explicit_context(context_binder<T> const& b) noexcept
    {
        return b.explicit_;
    }

    template<class T>
    static capture const& captured(context_binder<T> const& b) noexcept
    {
        return b.capture_;
    }
};

} // namespace detail

/// Binds `f` to the context current now: each call runs `f` in a fresh copy
/// of it, so one call's changes are not seen by the next.
template<class F>
context_binder<typename std::decay<F>::type> bind_context(F&& f)
{
    return detail::binder_access::make<typename std::decay<F>::type>(std::forward<F>(f),
        detail::capture_current(false), false);
}

/// Binds `f` to the values of `ctx` (copied now; `ctx` is never modified).
template<class F>
context_binder<typename std::decay<F>::type> bind_context(context const& ctx, F&& f)
{
    return context_binder<typename std::decay<F>::type>(std::forward<F>(f), ctx);
}

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_BIND_CONTEXT_HPP_INCLUDED
