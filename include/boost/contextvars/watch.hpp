#ifndef BOOST_CONTEXTVARS_WATCH_HPP_INCLUDED
#define BOOST_CONTEXTVARS_WATCH_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Switch watchers: functions called on a thread right after its current
// context changed to one holding other values, so that code that keeps
// per-thread state (a profiler's tag, a logging MDC, a legacy thread_local)
// can follow the context. Python: PyContext_AddWatcher's "switched" event.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/errors.hpp>
#include <boost/assert.hpp>
#include <cstddef>
#include <cstdint>

namespace boost {
namespace contextvars {

/// A switch watcher: called with the `user` pointer given to
/// `add_switch_watcher`. It runs inside a `noexcept` function: if it throws,
/// `std::terminate` is called.
using switch_callback = void (*)(void* user);

/// Names one added watcher, for `remove_switch_watcher`.
class watcher_id
{
public:
    /// Names no watcher.
    constexpr watcher_id() noexcept = default;

    /// A number unique to this watcher in the process, never 0 (0: none).
    constexpr std::uint64_t value() const noexcept
    {
        return value_;
    }

    friend constexpr bool operator==(watcher_id a, watcher_id b) noexcept
    {
        return a.value_ == b.value_;
    }

    friend constexpr bool operator!=(watcher_id a, watcher_id b) noexcept
    {
        return a.value_ != b.value_;
    }

private:
    friend watcher_id add_switch_watcher(switch_callback, void*);

    constexpr explicit watcher_id(std::uint64_t v) noexcept: value_(v) {}

    std::uint64_t value_ = 0;
};

/// How many watchers can exist at once, process-wide; each
/// `thread_local_mirror` and `otel::thread_context` takes one.
constexpr std::size_t max_switch_watchers = detail::max_watchers;

/// Adds `fn`, which is then called with `user` on any thread right after that
/// thread's current context changed to a context holding other values (see
/// the documentation's "Bridges to thread-local code" page for the rules).
/// Throws `watcher_limit_error` when `max_switch_watchers` exist already.
inline watcher_id add_switch_watcher(switch_callback fn, void* user = nullptr)
{
    BOOST_ASSERT(fn != nullptr);
    return watcher_id(detail::add_watcher(fn, user, false).id);
}

/// Removes the watcher `id`. Once it returns, no thread runs the watcher any
/// more (it waits for the threads running it), except when it is called from
/// a watcher: it then waits for no thread. Returns false, doing nothing, if
/// there is no such watcher.
inline bool remove_switch_watcher(watcher_id id) noexcept
{
    return id.value() != 0 && detail::remove_watcher(id.value());
}

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_WATCH_HPP_INCLUDED
