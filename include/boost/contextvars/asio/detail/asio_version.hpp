#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_VERSION_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_VERSION_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The Asio versions whose internals the library has read, and the shape each
// gives the internals it reaches into: the one list that every version test
// of the library reads. Only macros, so that whole-program tracking's
// header, which Asio includes before it declares anything, can use it too.
// What each shape is used for is in asio_internals.hpp and
// tracking_spawn.hpp; test/asio_internals.cpp and the tracking tests check
// each on the versions below, in CI.
//
// An Asio that is not listed gets none of the shaped parts: the library
// compiles and degrades as the documentation's support table says, tells so
// at compile time, and strict mode reports each degraded case when it
// happens. BOOST_CONTEXTVARS_ALLOW_UNVERIFIED_ASIO silences the compile-time
// message (not the degradation). Asio's version namespace
// (BOOST_ASIO_ENABLE_VERSION_NAMESPACE) moves every name the library
// declares, so with it no version counts as verified.

#include <boost/asio/version.hpp>

// The version the list is read with: Asio's own, unless a test simulates
// another one (test/asio_unverified.cpp).
#if !defined(BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION)
# define BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION BOOST_ASIO_VERSION
#endif

// Each verified version, with the Boost release it was verified on:
//
//   Asio    Boost  co_spawn entry point         spawn_handler  awaitable_async_op_handler  associator
//   1.26.0  1.81   (a, executor, f, handler)    <E, S>         <S, E>                      <A, T, D>
//   1.28.2  1.83   (a, co_spawn_state<H,E,F,X>) <E, S>         <S, E>                      <A, T, D>
//   1.34.2  1.88   (a, co_spawn_state<H,E,F,X>) <E, S, X>      <S, E, X>                   <A, T, D, X>
//   1.38.0  1.90   (a, co_spawn_state<H,E,F,X>) <E, S, X>      <S, E, X>                   <A, T, D, X>
//   1.38.2  1.92   (a, co_spawn_state<H,E,F,X>) <E, S, X>      <S, E, X>                   <A, T, D, X>
//
// The deprecated spawn overloads (over Boost.Coroutine, without a completion
// token) build an old_spawn_entry_point<E, F, H> in 1.26.0 and 1.28.2; it is
// gone from 1.34.2 on (BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN).
//
// spawn_entry_point<E, F, H>, binder0<H>, as_tuple_handler<H>,
// redirect_error_handler<H>, awaitable_handler<E, T...>,
// initiate_co_spawn<E> and thread_context::top_of_thread_call_stack() are
// the same in all five. co_spawn's entry point names itself to the handler
// tracking location hook: as a literal in 1.26.0, through
// std::source_location in the others (see tracking_location.hpp).
#if defined(BOOST_ASIO_ENABLE_VERSION_NAMESPACE)
# define BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED 0
#elif BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION == 102600
# define BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED 1
# define BOOST_CONTEXTVARS_DETAIL_CO_SPAWN_STATE 0
# define BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS 2
# define BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN 1
# define BOOST_CONTEXTVARS_DETAIL_ASSOCIATOR_PARAMS 3
#elif BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION == 102802
# define BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED 1
# define BOOST_CONTEXTVARS_DETAIL_CO_SPAWN_STATE 1
# define BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS 2
# define BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN 1
# define BOOST_CONTEXTVARS_DETAIL_ASSOCIATOR_PARAMS 3
#elif BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION == 103402 || BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION == 103800 || \
    BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION == 103802
# define BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED 1
# define BOOST_CONTEXTVARS_DETAIL_CO_SPAWN_STATE 1
# define BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS 3
# define BOOST_CONTEXTVARS_DETAIL_OLD_SPAWN 0
# define BOOST_CONTEXTVARS_DETAIL_ASSOCIATOR_PARAMS 4
#else
# define BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED 0
#endif

#if !BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED && !defined(BOOST_CONTEXTVARS_ALLOW_UNVERIFIED_ASIO)
# pragma message( \
    "Boost.ContextVars has not been verified on this Asio version (BOOST_ASIO_VERSION is not one of 102600, " \
    "102802, 103402, 103800, 103802, or BOOST_ASIO_ENABLE_VERSION_NAMESPACE is defined): whole-program tracking does not bind co_spawn's or asio::spawn's " \
    "completion nor start asio::spawn's coroutine in a context of its own, and context_executor does not " \
    "recognise a stackful coroutine's resumption; strict mode reports these cases as they happen. " \
    "Define BOOST_CONTEXTVARS_ALLOW_UNVERIFIED_ASIO to silence this message.")
#endif

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_VERSION_HPP_INCLUDED
