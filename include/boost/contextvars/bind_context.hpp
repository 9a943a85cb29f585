#ifndef BOOST_CONTEXTVARS_BIND_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_BIND_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// bind_context(f): a callable that runs f in a copy of the context current
// when it was bound, for handing work to std::thread or any other executor.
// <boost/contextvars/asio.hpp> makes the same wrapper a completion token.

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/capture.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {

template<class T> class context_binder;

namespace detail {

struct binder_access;

// Whether `T` can be called at all: not a class, or a class with some
// operator() (found by the ambiguity it causes with probe's), or a final
// class (which cannot be probed).
struct call_probe
{
    void operator()() const;
};

template<class T, bool = std::is_class<T>::value && !std::is_final<T>::value>
struct may_be_callable: std::true_type {};

template<class T>
struct may_be_callable<T, true>
{
    struct both: T, call_probe {};
    template<class U> static std::false_type test(decltype(&U::operator()));
    template<class U> static std::true_type test(...);
    static constexpr bool value = decltype(test<both>(nullptr))::value;
};

// A call with `A...` that a callable target `F` does not accept.
template<class F, class... A>
struct rejects_call: std::integral_constant<bool,
    !std::is_invocable<F, A&&...>::value && may_be_callable<typename std::decay<F>::type>::value> {};

} // namespace detail

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
    /// binding is foreign there. Takes part in overload resolution only
    /// when the target can be called with `args`, so `std::is_invocable`
    /// answers for the binder as for its target.
    template<class... A, typename std::enable_if<std::is_invocable<T&, A&&...>::value, int>::type = 0>
    decltype(auto) operator()(A&&... args) &
    {
        return detail::run_on(capture_, target_, std::forward<A>(args)...);
    }

    template<class... A, typename std::enable_if<std::is_invocable<T const&, A&&...>::value, int>::type = 0>
    decltype(auto) operator()(A&&... args) const&
    {
        return detail::run_on(capture_, target_, std::forward<A>(args)...);
    }

    template<class... A, typename std::enable_if<std::is_invocable<T, A&&...>::value, int>::type = 0>
    decltype(auto) operator()(A&&... args) &&
    {
        return detail::run_on(std::move(capture_), std::move(target_), std::forward<A>(args)...);
    }

    // A call a callable target does not accept picks one of these deleted
    // overloads: still not invocable (is_invocable says false), and the
    // compiler shows the declaration, whose comment says what is wrong.
    template<class... A, typename std::enable_if<detail::rejects_call<T&, A...>::value, int>::type = 0>
    void operator()(A&&...) & = delete; // bind_context: the target cannot be called with these arguments

    template<class... A, typename std::enable_if<detail::rejects_call<T const&, A...>::value, int>::type = 0>
    void operator()(A&&...) const& = delete; // bind_context: the target cannot be called with these arguments

    template<class... A, typename std::enable_if<detail::rejects_call<T, A...>::value, int>::type = 0>
    void operator()(A&&...) && = delete; // bind_context: the target cannot be called with these arguments

    // A target that is no callable at all is an Asio completion token bound
    // without <boost/contextvars/asio.hpp> (the Asio headers call the binder
    // as a handler): a call says which header is missing.
    template<class... A, class U = T, typename std::enable_if<!detail::may_be_callable<U>::value, int>::type = 0>
    void operator()(A&&...) const
    {
        static_assert(detail::may_be_callable<U>::value && sizeof...(A) == std::size_t(-1),
            "bind_context: the target cannot be called. If it is an Asio completion token (use_awaitable, "
            "detached, ...), include <boost/contextvars/asio.hpp>, which makes bind_context(token) a "
            "completion token");
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
