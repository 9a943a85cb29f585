#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_SPAWN_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_SPAWN_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking for what Asio starts without an operation: the
// completion of co_spawn and asio::spawn, and the first step of a stackful
// coroutine.
//
// A coroutine that awaits co_spawn (co_await co_spawn(..., use_awaitable),
// the awaitable operators, parallel groups) is resumed by its child: the
// child's entry point calls the completion handler from its own last step,
// inline or through an operation created there, so no hook sees the awaiter
// resume and it would run on in the context its child finished in. Like any
// other operation's, a spawn's completion must run in the context current
// when it was started; so the handler is wrapped, when the spawn is
// initiated, in one that holds that context and makes it current around the
// call (pinned_completion.hpp). asio::spawn's body is wrapped too: no hook
// marks where a stackful coroutine starts, and it must start as a new
// context that its resumptions continue, as co_spawn's child does
// (tracking_location.hpp); and when Asio starts it inline, inside its
// spawner, the spawner's context must come back at its first suspension
// (spawner_context), as after co_spawn's.
//
// Asio includes this header (through handler_tracking.hpp) before it declares
// anything, and the spawn machinery is in boost::asio::detail: what is
// needed of it is declared here, without default arguments, so that Asio's
// own declarations can add theirs. Each hook is a C++20 overload or partial
// specialisation of Asio's, more constrained, so that it is chosen for an
// unwrapped handler and Asio's own is chosen for the wrapped one; which
// shape each version has is listed in asio_version.hpp:
//   co_spawn_entry_point(awaitable<T, E>*, E, F, Handler): Asio 1.26.0;
//   co_spawn_entry_point(awaitable<T, E>*, co_spawn_state<Handler, E, F>):
//     Asio 1.28.2 to 1.38.2, with the state's handler member replaced;
//   spawn_entry_point<E, F, Handler>: every verified version.
// Other versions, and C++17, are not touched: strict mode then reports an
// awaited co_spawn (tracking_location.hpp), and a stackful coroutine's
// resumptions are new contexts. test/tracking.cpp and test/tracking_spawn.cpp
// check each version by its effect, in CI.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/asio/detail/asio_version.hpp>
#include <boost/contextvars/asio/detail/packed_capture.hpp>
#include <boost/contextvars/asio/detail/pinned_completion.hpp>
#include <boost/contextvars/asio/detail/tracking.hpp>
#include <boost/asio/detail/config.hpp> // macros only: BOOST_ASIO_HAS_CO_AWAIT
#include <type_traits>
#include <utility>

// After Asio 1.26, co_spawn's entry point names itself to the location hook
// (where tracking forks the child's context) only through
// std::source_location: without it no hook marks where a child starts, and
// its first step would write into its spawner's context.
#if defined(BOOST_ASIO_HAS_CO_AWAIT) && BOOST_ASIO_VERSION > 102600 && !defined(BOOST_ASIO_HAS_SOURCE_LOCATION)
# error "whole-program tracking needs Asio's source location support on this Asio version (BOOST_ASIO_DISABLE_SOURCE_LOCATION is defined, or the standard library has no <source_location>): without it a co_spawn'ed coroutine's first step runs in its spawner's context. Remove BOOST_ASIO_DISABLE_SOURCE_LOCATION, or use context_executor / bind_context instead of whole-program tracking."
#endif

#if defined(__cpp_concepts) && BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
# define BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN 1
#else
# define BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN 0
#endif

#if BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN && defined(BOOST_ASIO_HAS_CO_AWAIT)
# define BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN 1
#else
# define BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN 0
#endif

#if BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN

namespace boost {
namespace asio {

template<typename T, typename Executor>
class awaitable;

namespace detail {

template<typename Executor, typename Function, typename Handler>
class spawn_entry_point;

# if BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN && defined(BOOST_ASIO_HAS_BOOST_COROUTINE)
template<typename Executor, typename Function, typename Handler>
class old_spawn_entry_point;
# endif

# if BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN && BOOST_CONTEXTVARS_DETAIL_CO_SPAWN_STATE
template<typename Handler, typename Executor, typename Function, typename>
struct co_spawn_state;
# endif

} // namespace detail
} // namespace asio

namespace contextvars {
namespace detail {

/// Wraps a spawn's completion handler in its initiation, with the context
/// current there. The completion is then pinned: strict mode has no awaited
/// spawn to report (tracking_location).
template<class Handler, class H>
pinned_completion<Handler> wrap_spawn_completion(H&& h)
{
    state()->completion_pinned = true;
    return pin_completion<Handler>(std::forward<H>(h));
}

/// asio::spawn's function, starting the stackful coroutine as a new context
/// with a copy of the spawner's values, which the operations it starts
/// continue (so its identity survives its yields).
template<class Function>
class spawn_body
{
public:
    template<class F>
    explicit spawn_body(F&& f): function_(std::forward<F>(f)), capture_(fork_capture(), false)
    {
    }

    template<class Yield>
    auto operator()(Yield const& yield) -> decltype(std::declval<Function&>()(yield))
    {
        first_step scope;
        scope.install.install(capture_.take());
        return function_(yield);
    }

private:
    // Current from the body's start to its first suspension. The body may
    // finish on another thread, inside whatever handler resumed it last.
    struct first_step
    {
        ~first_step()
        {
            install.restore_if_still_current();
        }

        tracking_install install;
    };

    Function function_;
    packed_capture capture_;
};

/// The spawner's side of a stackful spawn. Asio dispatches the child's
/// first resumption, which runs it inline when the spawner already runs on
/// the child's executor; the child's first suspension then switches back to
/// the spawner inside Asio's resume(), where no hook runs, and the thread is
/// left in the child's context, which lives on the child's stack. This is a
/// member of the entry point Asio builds as a temporary in the spawn's
/// initiation: the temporary is destroyed at the end of the expression that
/// dispatches the child, on the spawner's side of that switch, and puts the
/// spawner's context back. The copies the child's stack keeps are moved
/// from it and restore nothing.
class spawner_context
{
public:
    spawner_context() noexcept: state_(state()), context_(state_->current) {}

    spawner_context(spawner_context&&) noexcept {}
    spawner_context& operator=(spawner_context&&) = delete;

    ~spawner_context()
    {
        if(state_ != nullptr)
        {
            switch_current(state_, context_);
        }
    }

private:
    thread_state* state_ = nullptr;
    context* context_ = nullptr;
};

template<class T>
struct is_spawn_body: std::false_type {};

template<class F>
struct is_spawn_body<spawn_body<F>>: std::true_type {};

} // namespace detail
} // namespace contextvars

namespace asio {

namespace detail {

// asio::spawn: the entry point of an unwrapped spawn is Asio's, over the
// wrapped function and handler.
template<typename Executor, typename Function, typename Handler>
    requires(!::boost::contextvars::detail::is_spawn_body<Function>::value)
class spawn_entry_point<Executor, Function, Handler>
    : public spawn_entry_point<Executor, ::boost::contextvars::detail::spawn_body<Function>,
                               ::boost::contextvars::detail::pinned_completion<Handler>>
{
public:
    template<typename F, typename H>
    spawn_entry_point(Executor const& ex, F&& f, H&& h):
        spawn_entry_point<Executor, ::boost::contextvars::detail::spawn_body<Function>,
                          ::boost::contextvars::detail::pinned_completion<Handler>>(
            ex, ::boost::contextvars::detail::spawn_body<Function>(std::forward<F>(f)),
            ::boost::contextvars::detail::wrap_spawn_completion<Handler>(std::forward<H>(h)))
    {
    }

private:
    ::boost::contextvars::detail::spawner_context spawner_;
};

# if BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN && defined(BOOST_ASIO_HAS_BOOST_COROUTINE)

// The deprecated asio::spawn overloads (Boost.Coroutine), spawn(yield, f)
// among them: the same fork. Their handler does nothing and is not wrapped.
template<typename Executor, typename Function, typename Handler>
    requires(!::boost::contextvars::detail::is_spawn_body<Function>::value)
class old_spawn_entry_point<Executor, Function, Handler>
    : public old_spawn_entry_point<Executor, ::boost::contextvars::detail::spawn_body<Function>, Handler>
{
public:
    template<typename F, typename H>
    old_spawn_entry_point(Executor const& ex, F&& f, H&& h):
        old_spawn_entry_point<Executor, ::boost::contextvars::detail::spawn_body<Function>, Handler>(
            ex, ::boost::contextvars::detail::spawn_body<Function>(std::forward<F>(f)), std::forward<H>(h))
    {
    }

private:
    ::boost::contextvars::detail::spawner_context spawner_;
};

# endif

# if BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN

#  if !BOOST_CONTEXTVARS_DETAIL_CO_SPAWN_STATE

// Asio's co_spawn_entry_point overloads, more constrained: for a handler not
// yet wrapped, wrap it and call Asio's (found through the wrapper's Tag).
template<typename T, typename Executor, typename F, typename Handler>
    requires(!::boost::contextvars::detail::is_pinned_completion<Handler>::value)
awaitable<awaitable_thread_entry_point, Executor> co_spawn_entry_point(awaitable<T, Executor>* a, Executor ex, F f,
                                                                       Handler handler)
{
    return co_spawn_entry_point(a, std::move(ex), std::move(f),
                                ::boost::contextvars::detail::wrap_spawn_completion<Handler>(std::move(handler)));
}

template<typename Executor, typename F, typename Handler>
    requires(!::boost::contextvars::detail::is_pinned_completion<Handler>::value)
awaitable<awaitable_thread_entry_point, Executor> co_spawn_entry_point(awaitable<void, Executor>* a, Executor ex, F f,
                                                                       Handler handler)
{
    return co_spawn_entry_point(a, std::move(ex), std::move(f),
                                ::boost::contextvars::detail::wrap_spawn_completion<Handler>(std::move(handler)));
}

#  else // co_spawn_state

// The state of a spawn whose handler is wrapped: the state Asio built, with
// its handler member hidden by the wrapped one. The wrapper has an executor
// of its own, so Asio's own partial specialisation does not match it.
template<typename Handler, typename Executor, typename Function>
struct co_spawn_state<::boost::contextvars::detail::pinned_completion<Handler>, Executor, Function, void>
    : co_spawn_state<Handler, Executor, Function, void>
{
    using unwrapped = co_spawn_state<Handler, Executor, Function, void>;

    explicit co_spawn_state(unwrapped&& s):
        unwrapped(std::move(s)),
        handler(::boost::contextvars::detail::wrap_spawn_completion<Handler>(std::move(unwrapped::handler)))
    {
    }

    ::boost::contextvars::detail::pinned_completion<Handler> handler;
};

// Asio's co_spawn_entry_point overloads, more constrained: for a handler not
// yet wrapped, wrap it and call Asio's (found through the wrapper's Tag).
template<typename T, typename Handler, typename Executor, typename Function>
    requires(!::boost::contextvars::detail::is_pinned_completion<Handler>::value)
awaitable<awaitable_thread_entry_point, Executor> co_spawn_entry_point(awaitable<T, Executor>* a,
                                                                       co_spawn_state<Handler, Executor, Function, void> s)
{
    return co_spawn_entry_point(
        a, co_spawn_state<::boost::contextvars::detail::pinned_completion<Handler>, Executor, Function, void>(std::move(s)));
}

template<typename Handler, typename Executor, typename Function>
    requires(!::boost::contextvars::detail::is_pinned_completion<Handler>::value)
awaitable<awaitable_thread_entry_point, Executor> co_spawn_entry_point(awaitable<void, Executor>* a,
                                                                       co_spawn_state<Handler, Executor, Function, void> s)
{
    return co_spawn_entry_point(
        a, co_spawn_state<::boost::contextvars::detail::pinned_completion<Handler>, Executor, Function, void>(std::move(s)));
}

#  endif

# endif // BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN

} // namespace detail
} // namespace asio
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_SPAWN_HPP_INCLUDED
