#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Every name the library takes from boost::asio::detail, in one place. Asio
// changes its internals between releases; each use below says which Asio
// versions it was verified on, and test/asio_internals.cpp checks each
// assumption so that a new Boost release that breaks one fails there, with a
// message naming this header, rather than somewhere inside a coroutine.
//
// Verified: Asio 1.26.0 (Boost 1.81) and Asio 1.38.2 (Boost 1.92).

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/asio/version.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detail/thread_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <type_traits>

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
# include <boost/asio/co_spawn.hpp>
# include <boost/asio/use_awaitable.hpp>
#endif

#if BOOST_ASIO_VERSION < 102600
# error "Boost.ContextVars needs Boost 1.81 (Asio 1.26) or later"
#endif

namespace boost {
namespace contextvars {
namespace detail {
namespace asio_internals {

namespace ad = boost::asio::detail;

// A handler that resumes a coroutine. bind_context leaves such handlers
// alone: the coroutine resumes in its own context (asyncio's rule), which its
// executor or whole-program tracking sees to.
//   as_tuple_handler<H>, redirect_error_handler<H>: 1.26.0, 1.38.2
//   awaitable_handler<E, T...> (use_awaitable): 1.26.0, 1.38.2
//   awaitable_async_op_handler<Sig, E, X> (co_await of a deferred-style
//   operation): 1.38.2; absent in 1.26.0
template<class H> struct resumes_coroutine: std::false_type {};

template<class H>
struct resumes_coroutine<ad::as_tuple_handler<H>>: resumes_coroutine<H> {};

template<class H>
struct resumes_coroutine<ad::redirect_error_handler<H>>: resumes_coroutine<H> {};

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
template<class E, class... T>
struct resumes_coroutine<ad::awaitable_handler<E, T...>>: std::true_type {};

# if BOOST_ASIO_VERSION >= 103802
template<class S, class E, class X>
struct resumes_coroutine<ad::awaitable_async_op_handler<S, E, X>>: std::true_type {};
# endif

// co_spawn's initiation, which bind_context re-issues on a context-aware
// executor so that the coroutine gets its own context.
//   initiate_co_spawn<E> with executor_type and get_executor(): 1.26.0, 1.38.2
template<class T> struct is_co_spawn_initiation: std::false_type {};
template<class E> struct is_co_spawn_initiation<ad::initiate_co_spawn<E>>: std::true_type {};

template<class E>
using co_spawn_initiation = ad::initiate_co_spawn<E>;
#endif

// Whether an Asio run loop (io_context::run, a thread_pool thread, ...) is
// running on this thread: the thread's Asio call stack is not empty.
//   thread_context::top_of_thread_call_stack(): 1.26.0, 1.38.2
inline bool in_run_loop() noexcept
{
    return ad::thread_context::top_of_thread_call_stack() != nullptr;
}

// Strict mode asks the probe; installing it from every translation unit
// that includes the library's Asio headers is idempotent.
namespace {

struct run_loop_probe_registrar
{
    run_loop_probe_registrar() noexcept
    {
        run_loop_probe.store(&in_run_loop, std::memory_order_release);
    }
};

[[maybe_unused]] run_loop_probe_registrar const run_loop_probe_registrar_instance;

} // namespace

} // namespace asio_internals
} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED
