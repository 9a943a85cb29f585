#ifndef BOOST_CONTEXTVARS_DETAIL_SWITCH_NOTIFY_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_SWITCH_NOTIFY_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The fast path of switch watchers (watch.hpp): every place that makes another
// context current calls switch_current(), and set()/reset() call
// notify_update(). Without watchers each costs one relaxed load of a
// process-wide word and a branch that is not taken; the rest is out of line in
// detail/switch_watchers.hpp, which needs class context complete and is
// included at the end of context.hpp.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <atomic>

namespace boost {
namespace contextvars {

class context;

namespace detail {

// Low half: how many watchers want switches; high half: how many of them
// (the mirrors) also want set() and reset() on this thread.
constexpr unsigned watch_update_unit = 1u << 16;

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<unsigned> watch_flags{0};

// Defined inline and not inlinable in detail/switch_watchers.hpp (declared
// here without either, which gcc would warn about).
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE void switch_current_notify(thread_state* s, context* to) noexcept;
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE void update_notify() noexcept;

/// Makes `to` the current context of the thread whose state is `s`, and
/// tells the watchers when there are any.
BOOST_FORCEINLINE void switch_current(thread_state* s, context* to) noexcept
{
    if(BOOST_UNLIKELY(watch_flags.load(std::memory_order_relaxed) != 0))
    {
        switch_current_notify(s, to);
        return;
    }
    s->current = to;
}

/// After set() or reset() changed the current context's values: tells the
/// mirrors when there are any.
BOOST_FORCEINLINE void notify_update() noexcept
{
    if(BOOST_UNLIKELY(watch_flags.load(std::memory_order_relaxed) >= watch_update_unit))
    {
        update_notify();
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_SWITCH_NOTIFY_HPP_INCLUDED
