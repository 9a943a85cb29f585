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
#include <boost/contextvars/asio/detail/resumption.hpp>
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

namespace boost {
namespace contextvars {
namespace detail {
namespace asio_internals {

namespace ad = boost::asio::detail;

// A handler that resumes a coroutine (asio/detail/resumption.hpp).
// bind_context leaves such handlers alone: the coroutine resumes in its own
// context (asyncio's rule), which its executor or whole-program tracking
// sees to. The same walk recognises what a context_executor is asked to
// execute() without a pin when it resumes a coroutine rather than starting
// new work (a binder0 or work_dispatcher around such a handler); the
// function is seen only when the executor is not behind any_io_executor,
// which erases it.
using detail::resumes_coroutine;
template<class F> using resumes_coroutine_fn = resumes_coroutine<F>;

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
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
