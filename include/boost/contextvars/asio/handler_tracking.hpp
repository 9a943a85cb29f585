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
// translation unit of a program must agree on it; see
// <boost/contextvars/asio/detail/tracking_check.hpp> for what is checked.

// Asio's custom tracking defines BOOST_ASIO_ENABLE_HANDLER_TRACKING itself,
// but only after this header, and some Asio headers (awaitable.hpp since
// Boost 1.82 or so, use_awaitable.hpp in some include orders) may have been
// read by then without it: their layout and their tracking hooks would then
// depend on include order.
#if !defined(BOOST_ASIO_ENABLE_HANDLER_TRACKING)
# error "whole-program tracking: define BOOST_ASIO_ENABLE_HANDLER_TRACKING together with BOOST_ASIO_CUSTOM_HANDLER_TRACKING (the CMake target Boost::contextvars_tracking does both)"
#endif

#include <boost/contextvars/asio/detail/tracking.hpp>
#include <boost/contextvars/asio/detail/tracking_spawn.hpp>

/// Defined when whole-program tracking is on in this translation unit.
#define BOOST_CONTEXTVARS_HANDLER_TRACKING 1

#if BOOST_CONTEXTVARS_DETAIL_CHECK_TRACKING
// Every translation unit that includes Asio includes this header: it
// registers as one with tracking (see strict.hpp).
namespace boost {
namespace contextvars {
namespace detail {
namespace {

struct tracking_registrar
{
    tracking_registrar() noexcept
    {
        register_tracking_kind(tracking_on);
    }
};

[[maybe_unused]] tracking_registrar const tracking_registrar_instance;

} // namespace
} // namespace detail
} // namespace contextvars
} // namespace boost
#endif

// The hooks Asio's custom handler tracking asks for (the list is in
// boost/asio/detail/handler_tracking.hpp). Those the library has no use
// for stay empty.
#define BOOST_ASIO_INHERIT_TRACKED_HANDLER : public ::boost::contextvars::detail::tracked_handler
#define BOOST_ASIO_ALSO_INHERIT_TRACKED_HANDLER , public ::boost::contextvars::detail::tracked_handler
#define BOOST_ASIO_HANDLER_TRACKING_INIT (void)0
#define BOOST_ASIO_HANDLER_LOCATION(args) \
    ::boost::contextvars::detail::tracking_location<!BOOST_CONTEXTVARS_DETAIL_TRACKED_CO_SPAWN> \
        boost_contextvars_tracked_location args
#define BOOST_ASIO_HANDLER_CREATION(args) ::boost::contextvars::detail::tracking_creation args
#define BOOST_ASIO_HANDLER_COMPLETION(args) \
    ::boost::contextvars::detail::tracking_handler_context boost_contextvars_handler_context args; \
    ::boost::contextvars::detail::tracking_completion boost_contextvars_tracked_completion( \
        boost_contextvars_handler_context)
#define BOOST_ASIO_HANDLER_INVOCATION_BEGIN(args) boost_contextvars_tracked_completion.invocation_begin args
#define BOOST_ASIO_HANDLER_INVOCATION_END boost_contextvars_tracked_completion.invocation_end()
#define BOOST_ASIO_HANDLER_OPERATION(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_REGISTRATION(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_DEREGISTRATION(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_READ_EVENT 1
#define BOOST_ASIO_HANDLER_REACTOR_WRITE_EVENT 2
#define BOOST_ASIO_HANDLER_REACTOR_ERROR_EVENT 4
#define BOOST_ASIO_HANDLER_REACTOR_EVENTS(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_OPERATION(args) (void)0

#endif // BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_HPP_INCLUDED
