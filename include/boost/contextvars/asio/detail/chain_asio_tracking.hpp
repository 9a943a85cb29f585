// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Asio's own handler tracking (the "@asio|..." log that
// BOOST_ASIO_ENABLE_HANDLER_TRACKING writes to stderr) as a tracker chained
// to whole-program tracking: what BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_LOG
// selects (asio/handler_tracking.hpp). Asio compiles its own tracker only
// when no custom one is named, and reads this from inside its
// <boost/asio/detail/handler_tracking.hpp>, in the custom branch: so that
// header is read once more here, with the custom tracker hidden for that
// read, which declares Asio's tracker (and, header-only, defines it); its
// hooks are then offered under the names the chaining interface expects.
// No include guard: handler_tracking.hpp includes this once, and its own
// guard covers it.

#pragma push_macro("BOOST_ASIO_CUSTOM_HANDLER_TRACKING")
#undef BOOST_ASIO_CUSTOM_HANDLER_TRACKING
#undef BOOST_ASIO_DETAIL_HANDLER_TRACKING_HPP
#include <boost/asio/detail/handler_tracking.hpp>
#pragma pop_macro("BOOST_ASIO_CUSTOM_HANDLER_TRACKING")

#define BOOST_CONTEXTVARS_CHAINED_TRACKED_HANDLER ::boost::asio::detail::handler_tracking::tracked_handler
#define BOOST_CONTEXTVARS_CHAINED_TRACKING_INIT ::boost::asio::detail::handler_tracking::init()
#define BOOST_CONTEXTVARS_CHAINED_LOCATION(args) ::boost::asio::detail::handler_tracking::location tracked_location args
#define BOOST_CONTEXTVARS_CHAINED_CREATION(args) ::boost::asio::detail::handler_tracking::creation args
#define BOOST_CONTEXTVARS_CHAINED_COMPLETION(args) \
    ::boost::asio::detail::handler_tracking::completion tracked_completion args
#define BOOST_CONTEXTVARS_CHAINED_INVOCATION_BEGIN(args) tracked_completion.invocation_begin args
#define BOOST_CONTEXTVARS_CHAINED_INVOCATION_END tracked_completion.invocation_end()
#define BOOST_CONTEXTVARS_CHAINED_OPERATION(args) ::boost::asio::detail::handler_tracking::operation args
#define BOOST_CONTEXTVARS_CHAINED_REACTOR_REGISTRATION(args) \
    ::boost::asio::detail::handler_tracking::reactor_registration args
#define BOOST_CONTEXTVARS_CHAINED_REACTOR_DEREGISTRATION(args) \
    ::boost::asio::detail::handler_tracking::reactor_deregistration args
#define BOOST_CONTEXTVARS_CHAINED_REACTOR_EVENTS(args) ::boost::asio::detail::handler_tracking::reactor_events args
#define BOOST_CONTEXTVARS_CHAINED_REACTOR_OPERATION(args) \
    ::boost::asio::detail::handler_tracking::reactor_operation args
