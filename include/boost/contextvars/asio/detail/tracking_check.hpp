#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_CHECK_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_CHECK_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The start-up check that the translation units of a program agree about
// whole-program tracking. Tracking adds a base to Asio's operation objects,
// and its C++20 spawn hooks and a chained tracker change Asio's classes
// further, so translation units that differ break the one-definition rule
// inside Asio: the linker keeps one copy of each of Asio's inline functions,
// which then reads the other kind's operations wrongly, and the program
// hangs or crashes with nothing said. Each translation unit that includes
// the library's Asio headers, or is built with tracking, registers its kind
// before main(); the first registration of a second kind stops the program
// with a message naming the kinds, or goes to the strict-mode handler when
// one is installed. A translation unit that includes Asio but nothing of the
// library and is built without tracking is seen only through Asio's own
// code: tracking makes Asio's scheduler, when it is constructed, say that
// its tracked copy is the one linked, and a translation unit that includes
// the library's Asio headers under tracking constructs one at start-up to
// ask. Only macros and the library's own headers here: handler_tracking.hpp,
// which Asio includes before it declares anything, includes this.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/strict.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace boost {
namespace contextvars {
namespace detail {

/// What a translation unit is, as far as Asio's classes are concerned.
enum tracking_kind : unsigned
{
    tracking_off = 1u,               // no whole-program tracking
    tracking_on = 2u,                // tracking, C++20 spawn hooks
    tracking_on_cxx17 = 4u,          // tracking without them (C++17)
    tracking_on_chained = 8u,        // tracking with a chained tracker, C++20
    tracking_on_cxx17_chained = 16u  // the same in C++17
};

constexpr tracking_kind tracked_kind(bool spawn_hooks, bool chained) noexcept
{
    return chained ? (spawn_hooks ? tracking_on_chained : tracking_on_cxx17_chained)
                   : (spawn_hooks ? tracking_on : tracking_on_cxx17);
}

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<unsigned> tracking_kinds_seen{0};

// Set by Asio's scheduler constructor when its tracked copy is the one
// linked (BOOST_ASIO_HANDLER_TRACKING_INIT).
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<bool> tracked_scheduler_seen{false};

// Whether a translation unit has asked yet (once per program), and the
// io_context it built to ask, kept for the program's life.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline std::atomic<bool> scheduler_probed{false};
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline void* scheduler_probe = nullptr;

inline void note_tracked_scheduler() noexcept
{
    tracked_scheduler_seen.store(true, std::memory_order_relaxed);
}

// A mismatch cannot be lived with: the strict-mode handler hears of it if
// one is installed (a test, or a program that wants to log first), and
// otherwise the program stops here, before main().
BOOST_NOINLINE inline void report_tracking_mismatch(std::string const& message) noexcept
{
    if(strict_on())
    {
        try
        {
            strict_report_violation(strict_violation::tracking_mismatch, message);
        }
        catch(...)
        {
        }
        return;
    }
    std::fprintf(stderr, "boost.contextvars: %s\n", message.c_str());
    std::abort();
}

inline char const* tracking_kind_name(unsigned kind) noexcept
{
    switch(kind)
    {
    case tracking_off: return "without whole-program tracking";
    case tracking_on: return "with whole-program tracking (C++20)";
    case tracking_on_cxx17: return "with whole-program tracking (C++17)";
    case tracking_on_chained: return "with whole-program tracking and a chained tracker (C++20)";
    default: return "with whole-program tracking and a chained tracker (C++17)";
    }
}

inline void register_tracking_kind(tracking_kind kind) noexcept
{
    unsigned before = tracking_kinds_seen.fetch_or(kind, std::memory_order_acq_rel);
    unsigned after = before | kind;
    // Reported once: when a second kind first appears.
    if(before == 0 || (before & (before - 1)) != 0 || after == before)
    {
        return;
    }
    try
    {
        std::string message = "translation units disagree about whole-program tracking, which changes Asio's "
                              "classes between them: some are built ";
        message += tracking_kind_name(before);
        message += ", some ";
        message += tracking_kind_name(kind);
        message += "; build every translation unit alike (link Boost::contextvars_tracking into every target, "
                   "with the same C++ standard and the same BOOST_CONTEXTVARS_*_HANDLER_TRACKING* macros)";
        report_tracking_mismatch(message);
    }
    catch(...)
    {
        report_tracking_mismatch("translation units disagree about whole-program tracking");
    }
}

// The answer of the scheduler probe: `tracked` is whether the scheduler
// code linked into the program is tracking's.
inline void check_linked_scheduler(bool tracked) noexcept
{
    if(!tracked)
    {
        report_tracking_mismatch("a translation unit built without whole-program tracking includes Asio, and its "
            "copy of Asio's scheduler is the one linked into this program, while others are built with "
            "tracking; build every translation unit that includes Asio with tracking (link "
            "Boost::contextvars_tracking into every target)");
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_CHECK_HPP_INCLUDED
