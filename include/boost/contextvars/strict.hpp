#ifndef BOOST_CONTEXTVARS_STRICT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_STRICT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Strict mode: reports the places where a program silently gets thread-local
// behaviour instead of context behaviour, which no hook can repair: a set()
// that lands in a thread's base context while an Asio run loop runs on that
// thread (a handler or coroutine nothing propagated to), a scoped_set
// destroyed in a context other than its own (its value stays set there), and
// under whole-program tracking, on an Asio version the library has not
// verified, a co_spawn (whose completion it cannot bind) and in particular
// one awaited without bind_context.
// Translation units that disagree about whole-program tracking are reported
// through the same handler, at start-up (asio/detail/tracking_check.hpp).
//
// Strict mode is on while a handler is installed: call
// enable_strict_mode(), or set_strict_handler(h), or compile any one
// translation unit with -DBOOST_CONTEXTVARS_STRICT. Off, it costs one
// relaxed atomic load per set(). Its check on set() needs to know whether an
// Asio run loop runs on the thread: see detail/run_loop_probe.hpp.

#include <boost/contextvars/config.hpp>
#include <boost/assert.hpp>
#include <atomic>
#include <cstdio>
#include <string_view>

namespace boost {
namespace contextvars {

/// What strict mode reports.
enum class strict_violation
{
    /// `set()` wrote a thread's base context while an Asio run loop ran on
    /// that thread: the running handler or coroutine has no context of its
    /// own, and the value will be seen by whatever runs next on the thread.
    set_in_base_context,
    /// A `scoped_set` was destroyed while another context was current; its
    /// value stays set in the context where it was made.
    scoped_set_in_foreign_context,
    /// Some translation units were compiled with whole-program tracking and
    /// some without: Asio's operation objects differ between them.
    tracking_mismatch,
    /// Under whole-program tracking, on an Asio version whose co_spawn the
    /// library cannot bind (one not listed in asio/detail/asio_version.hpp),
    /// a coroutine awaits a co_spawn (directly, or through the awaitable
    /// operators or a parallel group) whose completion is not bound with
    /// bind_context: no Asio hook sees the awaiter resume, so it would resume
    /// in the context its child finished in.
    awaited_spawn_under_tracking,
    /// Under whole-program tracking, on an Asio version the library has not
    /// verified, a co_spawn started: its completion handler runs in the
    /// context its child finished in, not in the spawner's (reported once per
    /// process; see the documentation's support table).
    unverified_asio,
    /// `set()` inside a switch watcher or a `thread_local_mirror`'s assign
    /// function (watch.hpp, mirror.hpp): no watcher is told of it, so the
    /// thread's mirrors may go stale.
    set_in_switch_watcher,
    /// A `suppress_flow` guard was destroyed while the context it was made
    /// in was no longer current: it was held across a coroutine's
    /// suspension, or destroyed out of order. It stopped suppressing when
    /// its context stopped running; the destruction changes nothing.
    suppress_flow_misuse
};

/// One report: what happened, and a sentence saying so.
struct strict_report
{
    strict_violation kind;
    std::string_view message;
};

/// A strict-mode handler. It may throw, except for `tracking_mismatch`
/// (reported during static initialisation) and reports from destructors.
using strict_handler = void (*)(strict_report const&);

/// The default handler: prints the message to stderr and asserts.
inline void default_strict_handler(strict_report const& r) noexcept
{
    std::fprintf(stderr, "boost.contextvars strict mode: %.*s\n", static_cast<int>(r.message.size()),
        r.message.data());
    BOOST_ASSERT_MSG(false, "boost.contextvars strict mode violation (message above)");
}

namespace detail {

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<strict_handler> strict_handler_{nullptr};

// Whether an Asio run loop is running on this thread. Installed at start-up
// by every translation unit that sees Asio (detail/run_loop_probe.hpp); null
// in a program where none does.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<bool (*)()> run_loop_probe{nullptr};

BOOST_FORCEINLINE bool strict_on() noexcept
{
    return strict_handler_.load(std::memory_order_relaxed) != nullptr;
}

BOOST_NOINLINE inline void strict_report_violation(strict_violation kind, std::string_view message)
{
    strict_handler h = strict_handler_.load(std::memory_order_acquire);
    (h ? h : &default_strict_handler)(strict_report{kind, message});
}

} // namespace detail

/// Installs `h` as the strict-mode handler (null turns strict mode off) and
/// returns the previous one.
inline strict_handler set_strict_handler(strict_handler h) noexcept
{
    return detail::strict_handler_.exchange(h, std::memory_order_acq_rel);
}

/// Turns strict mode on with `default_strict_handler`, unless a handler is
/// installed already.
inline void enable_strict_mode() noexcept
{
    strict_handler expected = nullptr;
    detail::strict_handler_.compare_exchange_strong(expected, &default_strict_handler);
}

namespace detail {

#if defined(BOOST_CONTEXTVARS_STRICT)
// -DBOOST_CONTEXTVARS_STRICT on any translation unit turns strict mode on.
namespace {

struct strict_mode_registrar
{
    strict_mode_registrar() noexcept
    {
        enable_strict_mode();
    }
};

[[maybe_unused]] strict_mode_registrar const strict_mode_registrar_instance;

} // namespace
#endif

} // namespace detail
} // namespace contextvars
} // namespace boost

// Strict mode must know whether an Asio run loop runs on the thread, and the
// core does not include Asio: a translation unit that has Asio already, or
// that asks for strict mode, answers for the whole program (include order
// does not matter under -DBOOST_CONTEXTVARS_STRICT).
#if defined(BOOST_CONTEXTVARS_STRICT) || defined(BOOST_ASIO_DETAIL_CONFIG_HPP)
# include <boost/contextvars/detail/run_loop_probe.hpp>
#endif

#endif // BOOST_CONTEXTVARS_STRICT_HPP_INCLUDED
