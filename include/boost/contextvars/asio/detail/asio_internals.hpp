#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Every name the library takes from boost::asio::detail, in one place. Asio
// changes its internals between releases; which versions were read, and
// which shape each gives these names, is listed in asio_version.hpp, and
// test/asio_internals.cpp checks each assumption so that a new Boost release
// that breaks one fails there, with a message naming this header, rather
// than somewhere inside a coroutine.
//
// One exception: what whole-program tracking needs of co_spawn's machinery
// is declared in asio/detail/tracking_spawn.hpp, because Asio includes
// that header before it declares anything, so it cannot include this one;
// test/tracking.cpp checks those names by their effect.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/contextvars/asio/detail/tracking_check.hpp>
#include <boost/contextvars/detail/run_loop_probe.hpp>
#include <boost/contextvars/asio/detail/asio_version.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/detail/bind_handler.hpp>
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

// The stackful coroutine's completion handler (asio::spawn's yield_context
// as a token), declared here so that recognising it does not pull in
// <boost/asio/spawn.hpp> and Boost.Context; its parameters are
// BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS (asio_version.hpp). On an Asio
// not listed there it is not recognised: a context_executor then runs the
// stackful coroutine's no-executor post(yield) as a new context.
#if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
namespace boost { namespace asio { namespace detail {
# if BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS == 2
template<typename Executor, typename Signature> class spawn_handler;
# else
template<typename Executor, typename Signature, typename> class spawn_handler;
# endif
}}} // namespace boost::asio::detail
#endif

namespace boost {
namespace contextvars {
namespace detail {
namespace asio_internals {

namespace ad = boost::asio::detail;

// A handler that resumes a coroutine. bind_context leaves such handlers
// alone: the coroutine resumes in its own context (asyncio's rule), which its
// executor or whole-program tracking sees to.
//   as_tuple_handler<H>, redirect_error_handler<H>, awaitable_handler<E, T...>
//   (use_awaitable): every verified version
//   awaitable_async_op_handler (co_await of a deferred-style operation): the
//   shape asio_version.hpp gives, on the verified versions
template<class H> struct resumes_coroutine: std::false_type {};

template<class H>
struct resumes_coroutine<ad::as_tuple_handler<H>>: resumes_coroutine<H> {};

template<class H>
struct resumes_coroutine<ad::redirect_error_handler<H>>: resumes_coroutine<H> {};

// (Public, not detail, but it belongs with the others: a coroutine's handler
// bound to another executor, as in post(bind_executor(pool, use_awaitable)).)
template<class H, class E>
struct resumes_coroutine<boost::asio::executor_binder<H, E>>: resumes_coroutine<H> {};

// What a context_executor is asked to execute() without a pin, when it
// resumes a coroutine rather than starting new work: a no-executor
// post/dispatch/defer with use_awaitable or a yield_context as the token
// (Asio binds the handler with no arguments). The function is seen only
// when the executor is not behind any_io_executor, which erases it.
//   binder0<H>: every verified version
template<class F> struct resumes_coroutine_fn: resumes_coroutine<F> {};
template<class H> struct resumes_coroutine_fn<ad::binder0<H>>: resumes_coroutine<H> {};

#if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
# if BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS == 2
template<class E, class S>
struct resumes_coroutine<ad::spawn_handler<E, S>>: std::true_type {};
# else
template<class E, class S, class X>
struct resumes_coroutine<ad::spawn_handler<E, S, X>>: std::true_type {};
# endif
#endif

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
template<class E, class... T>
struct resumes_coroutine<ad::awaitable_handler<E, T...>>: std::true_type {};

# if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
#  if BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS == 2
template<class S, class E>
struct resumes_coroutine<ad::awaitable_async_op_handler<S, E>>: std::true_type {};
#  else
template<class S, class E, class X>
struct resumes_coroutine<ad::awaitable_async_op_handler<S, E, X>>: std::true_type {};
#  endif
# endif

// co_spawn's initiation, which bind_context re-issues on a context-aware
// executor so that the coroutine gets its own context.
//   initiate_co_spawn<E> with executor_type and get_executor(): every
//   verified version
template<class T> struct is_co_spawn_initiation: std::false_type {};
template<class E> struct is_co_spawn_initiation<ad::initiate_co_spawn<E>>: std::true_type {};

template<class E>
using co_spawn_initiation = ad::initiate_co_spawn<E>;
#endif

// Whether an Asio run loop (io_context::run, a thread_pool thread, ...) is
// running on this thread (detail/run_loop_probe.hpp, which also installs it
// for strict mode).
inline bool in_run_loop() noexcept
{
    return asio_in_run_loop();
}

// One object per translation unit that includes the library's Asio headers
// (asio/detail/tracking_check.hpp): without tracking it registers so; with
// it (handler_tracking.hpp registers the kind), the first one in the
// program asks Asio's scheduler whether its tracked copy is the one linked.
namespace {

struct translation_unit_registrar
{
    translation_unit_registrar() noexcept
    {
#if !defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
        register_tracking_kind(tracking_off);
#else
        if(!scheduler_probed.exchange(true, std::memory_order_relaxed))
        {
            // Constructed and kept, never destroyed: in a mixed program,
            // destroying it would run the other kind's code on it.
            try
            {
                scheduler_probe = new ::boost::asio::io_context(1);
            }
            catch(...)
            {
                return; // no scheduler to ask: nothing is known
            }
            check_linked_scheduler(tracked_scheduler_seen.load(std::memory_order_relaxed));
        }
#endif
    }
};

[[maybe_unused]] translation_unit_registrar const translation_unit_registrar_instance;

} // namespace

} // namespace asio_internals
} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_ASIO_INTERNALS_HPP_INCLUDED
