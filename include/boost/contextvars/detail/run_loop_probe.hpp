#ifndef BOOST_CONTEXTVARS_DETAIL_RUN_LOOP_PROBE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_RUN_LOOP_PROBE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The answer to strict mode's question "does an Asio run loop run on this
// thread?", from Asio's own thread call stack. The core does not include
// Asio, so the answer comes from the translation units that do: strict.hpp
// includes this header where Asio was included before it, or where
// -DBOOST_CONTEXTVARS_STRICT asks for strict mode, and the library's Asio
// headers include it too. Each such translation unit installs the probe once
// at start-up, so one of them anywhere in the program is enough. The probe
// is one inline function, the same in every translation unit (no ODR
// question); only the object that installs it is per translation unit.

#include <boost/contextvars/strict.hpp>
#include <boost/asio/detail/thread_context.hpp>
#include <atomic>

namespace boost {
namespace contextvars {
namespace detail {

/// Whether an Asio run loop (io_context::run, a thread_pool thread, ...) is
/// running on this thread: the thread's Asio call stack is not empty.
///   thread_context::top_of_thread_call_stack(): every verified version
inline bool asio_in_run_loop() noexcept
{
    return boost::asio::detail::thread_context::top_of_thread_call_stack() != nullptr;
}

namespace {

struct run_loop_probe_registrar
{
    run_loop_probe_registrar() noexcept
    {
        run_loop_probe.store(&asio_in_run_loop, std::memory_order_release);
    }
};

[[maybe_unused]] run_loop_probe_registrar const run_loop_probe_registrar_instance;

} // namespace

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_RUN_LOOP_PROBE_HPP_INCLUDED
