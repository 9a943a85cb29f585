#ifndef BOOST_CONTEXTVARS_DETAIL_STRICT_CHECK_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_STRICT_CHECK_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Strict mode's check on set(), kept out of line and apart from
// context_var so that the fast path of set() pays one relaxed load for it.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/contextvars/detail/current_context.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <atomic>
#include <string>
#include <string_view>

namespace boost {
namespace contextvars {
namespace detail {

/// A write to the thread's base context while an Asio run loop runs on this
/// thread lands where the next handler on the thread will see it: report it.
/// (Whether a run loop runs is asked of the probe that any translation unit
/// seeing Asio installs, see detail/run_loop_probe.hpp.)
BOOST_NOINLINE inline void strict_check_set(context const& c, std::string_view var)
{
    if(in_switch_watcher())
    {
        strict_report_violation(strict_violation::set_in_switch_watcher, "context_var " + quoted(var) +
            " set inside a switch watcher or a thread_local_mirror's assign function: no watcher or mirror "
            "is told of it");
    }
    bool (*in_run_loop)() = run_loop_probe.load(std::memory_order_acquire);
    if(&c == &base_context() && in_run_loop != nullptr && in_run_loop())
    {
        std::string message = "context_var " + quoted(var) +
            " set in the thread's base context inside an Asio run loop: this handler or coroutine was "
            "started without a context (wrap its executor in context_executor, its token in bind_context, "
            "or build with whole-program tracking)";
        strict_report_violation(strict_violation::set_in_base_context, message);
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_STRICT_CHECK_HPP_INCLUDED
