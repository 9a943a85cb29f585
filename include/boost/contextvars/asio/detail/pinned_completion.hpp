#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_PINNED_COMPLETION_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_PINNED_COMPLETION_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking's answer to a completion handler that someone calls
// from another operation's step, where no hook runs (a spawn's completion,
// called from its child's last step; a Beast operation parked behind another
// and resumed from that one's completion): the handler is wrapped, when its
// operation is initiated, in one that holds the context current there and
// makes it current around the call, as an operation's completion would.
// Every associator of the wrapped handler (executor, allocator, cancellation
// slot, immediate executor) is the handler's own. Like tracking.hpp, this is
// read before Asio declares anything: what it needs of Asio is declared here,
// in the shape asio_version.hpp gives for the verified versions.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/asio/detail/asio_version.hpp>
#include <boost/contextvars/asio/detail/packed_capture.hpp>
#include <boost/contextvars/asio/detail/tracking.hpp>
#include <type_traits>
#include <utility>

#if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED

namespace boost {
namespace asio {

# if BOOST_CONTEXTVARS_DETAIL_ASSOCIATOR_PARAMS == 3
template<template<typename, typename> class Associator, typename T, typename DefaultCandidate>
struct associator;
# else
template<template<typename, typename> class Associator, typename T, typename DefaultCandidate, typename>
struct associator;
# endif

template<typename T, typename Executor>
struct associated_executor;

namespace detail {
struct awaitable_thread_entry_point;
} // namespace detail

} // namespace asio

namespace contextvars {
namespace detail {

/// A completion handler with the context current at its operation's
/// initiation. `Tag` is an Asio type only so that Asio's detail namespace
/// is associated with the wrapper: tracking_spawn.hpp reaches Asio's own
/// co_spawn entry point through argument-dependent lookup.
template<class Handler, class Tag = ::boost::asio::detail::awaitable_thread_entry_point>
class pinned_completion
{
public:
    template<class H>
    pinned_completion(H&& h, packed_capture c) noexcept(std::is_nothrow_constructible<Handler, H&&>::value):
        handler_(std::forward<H>(h)), capture_(std::move(c))
    {
    }

    template<class... Args>
    auto operator()(Args&&... args) -> decltype(std::declval<Handler>()(std::forward<Args>(args)...))
    {
        tracking_install scope;
        scope.install(capture_.take());
        return std::move(handler_)(std::forward<Args>(args)...);
    }

    Handler const& handler() const noexcept
    {
        return handler_;
    }

    packed_capture const& captured() const noexcept
    {
        return capture_;
    }

    /// The handler, unwrapped, for code that passes it on to another
    /// operation (which pins it again where it is initiated).
    Handler release() noexcept(std::is_nothrow_move_constructible<Handler>::value)
    {
        return std::move(handler_);
    }

private:
    Handler handler_;
    packed_capture capture_;
};

template<class T>
struct is_pinned_completion: std::false_type {};

template<class H, class X>
struct is_pinned_completion<pinned_completion<H, X>>: std::true_type {};

/// The tag of a pinned handler that offers its context to the operations
/// its holder starts (tracking_beast.hpp): Asio asks for the handler's
/// executor as it creates each operation the holder starts with itself as
/// the handler, and the answer is given together with the offer, which the
/// creation takes (tracking_creation). Good until the step that offered it
/// ends (tracking_completion, tracking_install).
struct offers_context
{
};

template<class H, class X>
void offer_context(pinned_completion<H, X> const& h) noexcept
{
    if constexpr(std::is_same<X, offers_context>::value)
    {
        thread_state* s = state();
        packed_capture copy = h.captured();
        packed_capture previous = packed_capture::adopt_marked(s->offered_capture);
        s->offered_capture = copy.release_marked();
        (void)previous;
    }
}

/// `h` pinned to the current context, as an operation created here would be.
template<class Handler, class Tag = ::boost::asio::detail::awaitable_thread_entry_point, class H>
pinned_completion<Handler, Tag> pin_completion(H&& h)
{
    return pinned_completion<Handler, Tag>(std::forward<H>(h), tracking_capture<Handler>());
}

} // namespace detail
} // namespace contextvars

namespace asio {

// The executor has a specialisation of its own, which does not say the
// executor is unspecialised when the handler's is: Asio has other paths for
// such handlers (co_spawn_state's partial specialisation among them) that
// would otherwise match the wrapper too.
template<class H, class X, class E>
struct associated_executor<::boost::contextvars::detail::pinned_completion<H, X>, E>
{
    using type = typename associated_executor<H, E>::type;

    static decltype(auto) get(::boost::contextvars::detail::pinned_completion<H, X> const& h) noexcept
    {
        ::boost::contextvars::detail::offer_context(h);
        return associated_executor<H, E>::get(h.handler());
    }

    static decltype(auto) get(::boost::contextvars::detail::pinned_completion<H, X> const& h, E const& e) noexcept
    {
        ::boost::contextvars::detail::offer_context(h);
        return associated_executor<H, E>::get(h.handler(), e);
    }
};

template<template<typename, typename> class Associator, class H, class X, class D>
struct associator<Associator, ::boost::contextvars::detail::pinned_completion<H, X>, D
# if BOOST_CONTEXTVARS_DETAIL_ASSOCIATOR_PARAMS == 4
    , void
# endif
    >: Associator<H, D>
{
    static typename Associator<H, D>::type get(::boost::contextvars::detail::pinned_completion<H, X> const& h) noexcept
    {
        return Associator<H, D>::get(h.handler());
    }

    static auto get(::boost::contextvars::detail::pinned_completion<H, X> const& h, D const& d) noexcept
        -> decltype(Associator<H, D>::get(h.handler(), d))
    {
        return Associator<H, D>::get(h.handler(), d);
    }
};

} // namespace asio
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_PINNED_COMPLETION_HPP_INCLUDED
