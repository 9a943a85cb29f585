#ifndef BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking: compile every translation unit of a program with
//
//   -DBOOST_ASIO_CUSTOM_HANDLER_TRACKING=<boost/contextvars/asio/handler_tracking.hpp>
//   -DBOOST_ASIO_ENABLE_HANDLER_TRACKING
//
// (or link the CMake target Boost::contextvars_tracking) and every Asio
// handler, on every executor, runs in a copy of the context current when its
// operation was created: post, dispatch, defer, timers, sockets, resolvers,
// signals, strands, thread pools, channels and coroutine steps, with no
// change to the code that starts them. Asio includes this header from
// <boost/asio/detail/handler_tracking.hpp>, so it must not include Asio
// (beyond <boost/asio/version.hpp> and <boost/asio/detail/config.hpp>, which
// define macros and declare nothing).
//
// The define changes the layout of Asio's operation objects, so every
// translation unit of a program must agree on it; strict.hpp says what is
// checked.
//
// Asio has one custom tracking header, this one. Another tracker can run
// beside it: -DBOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_LOG keeps Asio's own
// tracker and its "@asio|..." log on stderr, and
// -DBOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING=<header> names a header that
// offers any tracker's hooks under the names BOOST_CONTEXTVARS_CHAINED_*
// (the list is below, after Asio's; detail/chain_asio_tracking.hpp is the
// model). Each hook of this library then calls the chained one after its own.

// Asio's custom tracking defines BOOST_ASIO_ENABLE_HANDLER_TRACKING itself,
// but only after this header, and some Asio headers (awaitable.hpp since
// Boost 1.82 or so, use_awaitable.hpp in some include orders) may have been
// read by then without it: their layout and their tracking hooks would then
// depend on include order.
#if !defined(BOOST_ASIO_ENABLE_HANDLER_TRACKING)
# error "whole-program tracking: define BOOST_ASIO_ENABLE_HANDLER_TRACKING together with BOOST_ASIO_CUSTOM_HANDLER_TRACKING (the CMake target Boost::contextvars_tracking does both)"
#endif

#if defined(BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_LOG)
# if defined(BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING)
#  error "BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_LOG and BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING each chain a tracker: define one"
# endif
# define BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING <boost/contextvars/asio/detail/chain_asio_tracking.hpp>
#endif
#if defined(BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING)
# include BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING
#endif

#include <boost/contextvars/asio/detail/tracking.hpp>
#include <boost/contextvars/asio/detail/tracking_check.hpp>
#include <boost/contextvars/asio/detail/tracking_location.hpp>
#include <boost/contextvars/asio/detail/tracking_spawn.hpp>
#include <boost/contextvars/asio/detail/tracking_beast.hpp>

/// Defined when whole-program tracking is on in this translation unit.
#define BOOST_CONTEXTVARS_HANDLER_TRACKING 1

#if defined(BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING)
# define BOOST_CONTEXTVARS_DETAIL_CHAINED_TRACKING 1
#else
# define BOOST_CONTEXTVARS_DETAIL_CHAINED_TRACKING 0
#endif

// Every translation unit that includes Asio includes this header: it
// registers its kind of tracking (asio/detail/tracking_check.hpp).
namespace boost {
namespace contextvars {
namespace detail {
namespace {

struct tracking_registrar
{
    tracking_registrar() noexcept
    {
        register_tracking_kind(
            tracked_kind(BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN != 0, BOOST_CONTEXTVARS_DETAIL_CHAINED_TRACKING != 0));
    }
};

[[maybe_unused]] tracking_registrar const tracking_registrar_instance;

} // namespace
} // namespace detail
} // namespace contextvars
} // namespace boost

// The hooks Asio's custom handler tracking asks for (the list is in
// boost/asio/detail/handler_tracking.hpp). Those the library has no use
// for stay empty.
// Asio's hooks. A chained tracker defined them before (it may be Asio's
// own): they are replaced, and its hooks are called from these.
#undef BOOST_ASIO_INHERIT_TRACKED_HANDLER
#undef BOOST_ASIO_ALSO_INHERIT_TRACKED_HANDLER
#undef BOOST_ASIO_HANDLER_TRACKING_INIT
#undef BOOST_ASIO_HANDLER_LOCATION
#undef BOOST_ASIO_HANDLER_CREATION
#undef BOOST_ASIO_HANDLER_COMPLETION
#undef BOOST_ASIO_HANDLER_INVOCATION_BEGIN
#undef BOOST_ASIO_HANDLER_INVOCATION_END
#undef BOOST_ASIO_HANDLER_OPERATION
#undef BOOST_ASIO_HANDLER_REACTOR_REGISTRATION
#undef BOOST_ASIO_HANDLER_REACTOR_DEREGISTRATION
#undef BOOST_ASIO_HANDLER_REACTOR_READ_EVENT
#undef BOOST_ASIO_HANDLER_REACTOR_WRITE_EVENT
#undef BOOST_ASIO_HANDLER_REACTOR_ERROR_EVENT
#undef BOOST_ASIO_HANDLER_REACTOR_EVENTS
#undef BOOST_ASIO_HANDLER_REACTOR_OPERATION

#define BOOST_CONTEXTVARS_DETAIL_LOCATION_HOOK(args) \
    ::boost::contextvars::detail::tracking_location<!BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN> \
        boost_contextvars_tracked_location args
#define BOOST_CONTEXTVARS_DETAIL_COMPLETION_HOOK(args) \
    ::boost::contextvars::detail::tracking_handler_context boost_contextvars_handler_context args; \
    ::boost::contextvars::detail::tracking_completion boost_contextvars_tracked_completion( \
        boost_contextvars_handler_context)

#if !defined(BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING)

# define BOOST_ASIO_INHERIT_TRACKED_HANDLER : public ::boost::contextvars::detail::tracked_handler
# define BOOST_ASIO_ALSO_INHERIT_TRACKED_HANDLER , public ::boost::contextvars::detail::tracked_handler
# define BOOST_ASIO_HANDLER_TRACKING_INIT ::boost::contextvars::detail::note_tracked_scheduler()
# define BOOST_ASIO_HANDLER_LOCATION(args) BOOST_CONTEXTVARS_DETAIL_LOCATION_HOOK(args)
# define BOOST_ASIO_HANDLER_CREATION(args) ::boost::contextvars::detail::tracking_creation args
# define BOOST_ASIO_HANDLER_COMPLETION(args) BOOST_CONTEXTVARS_DETAIL_COMPLETION_HOOK(args)
# define BOOST_ASIO_HANDLER_INVOCATION_BEGIN(args) boost_contextvars_tracked_completion.invocation_begin args
# define BOOST_ASIO_HANDLER_INVOCATION_END boost_contextvars_tracked_completion.invocation_end()
# define BOOST_ASIO_HANDLER_OPERATION(args) (void)0
# define BOOST_ASIO_HANDLER_REACTOR_REGISTRATION(args) (void)0
# define BOOST_ASIO_HANDLER_REACTOR_DEREGISTRATION(args) (void)0
# define BOOST_ASIO_HANDLER_REACTOR_EVENTS(args) (void)0
# define BOOST_ASIO_HANDLER_REACTOR_OPERATION(args) (void)0

#else

// The chaining interface: the header named by
// BOOST_CONTEXTVARS_CHAIN_HANDLER_TRACKING defines each of these, with the
// meaning of the Asio hook of the same name (the first is the base class
// that Asio's INHERIT hooks add): BOOST_CONTEXTVARS_CHAINED_TRACKED_HANDLER,
// _TRACKING_INIT, _LOCATION(args), _CREATION(args), _COMPLETION(args),
// _INVOCATION_BEGIN(args), _INVOCATION_END, _OPERATION(args),
// _REACTOR_REGISTRATION(args), _REACTOR_DEREGISTRATION(args),
// _REACTOR_EVENTS(args), _REACTOR_OPERATION(args). The chained tracker's
// completion starts after this library's, so its invocation runs inside the
// handler's context.
# define BOOST_ASIO_INHERIT_TRACKED_HANDLER \
    : public ::boost::contextvars::detail::tracked_handler, public BOOST_CONTEXTVARS_CHAINED_TRACKED_HANDLER
# define BOOST_ASIO_ALSO_INHERIT_TRACKED_HANDLER \
    , public ::boost::contextvars::detail::tracked_handler, public BOOST_CONTEXTVARS_CHAINED_TRACKED_HANDLER
# define BOOST_ASIO_HANDLER_TRACKING_INIT \
    (::boost::contextvars::detail::note_tracked_scheduler(), BOOST_CONTEXTVARS_CHAINED_TRACKING_INIT)
# define BOOST_ASIO_HANDLER_LOCATION(args) \
    BOOST_CONTEXTVARS_DETAIL_LOCATION_HOOK(args); \
    BOOST_CONTEXTVARS_CHAINED_LOCATION(args)
# define BOOST_ASIO_HANDLER_CREATION(args) \
    (::boost::contextvars::detail::tracking_creation args, BOOST_CONTEXTVARS_CHAINED_CREATION(args))
# define BOOST_ASIO_HANDLER_COMPLETION(args) \
    BOOST_CONTEXTVARS_DETAIL_COMPLETION_HOOK(args); \
    BOOST_CONTEXTVARS_CHAINED_COMPLETION(args)
# define BOOST_ASIO_HANDLER_INVOCATION_BEGIN(args) \
    (boost_contextvars_tracked_completion.invocation_begin args, BOOST_CONTEXTVARS_CHAINED_INVOCATION_BEGIN(args))
# define BOOST_ASIO_HANDLER_INVOCATION_END \
    (BOOST_CONTEXTVARS_CHAINED_INVOCATION_END, boost_contextvars_tracked_completion.invocation_end())
# define BOOST_ASIO_HANDLER_OPERATION(args) BOOST_CONTEXTVARS_CHAINED_OPERATION(args)
# define BOOST_ASIO_HANDLER_REACTOR_REGISTRATION(args) BOOST_CONTEXTVARS_CHAINED_REACTOR_REGISTRATION(args)
# define BOOST_ASIO_HANDLER_REACTOR_DEREGISTRATION(args) BOOST_CONTEXTVARS_CHAINED_REACTOR_DEREGISTRATION(args)
# define BOOST_ASIO_HANDLER_REACTOR_EVENTS(args) BOOST_CONTEXTVARS_CHAINED_REACTOR_EVENTS(args)
# define BOOST_ASIO_HANDLER_REACTOR_OPERATION(args) BOOST_CONTEXTVARS_CHAINED_REACTOR_OPERATION(args)

#endif

#define BOOST_ASIO_HANDLER_REACTOR_READ_EVENT 1
#define BOOST_ASIO_HANDLER_REACTOR_WRITE_EVENT 2
#define BOOST_ASIO_HANDLER_REACTOR_ERROR_EVENT 4

#endif // BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_HPP_INCLUDED
