// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A program whose translation units disagree about whole-program tracking:
// this one is built with Boost::contextvars_tracking, the one in
// tracking_mismatch_plain.cpp without. The library reports the mismatch at
// start-up (in release builds too), through the strict-mode handler. The recording
// handler is installed by an initialiser that runs before every ordinary one
// (init_priority), so that the report, made during static initialisation,
// reaches it. Built with TRACKING_MISMATCH_NO_HANDLER, the program has none,
// and must stop at start-up with the message (test/CMakeLists.txt).

#include <boost/contextvars/strict.hpp>

#include <boost/contextvars/asio.hpp>

#define BOOST_TEST_MODULE tracking_mismatch
#include <boost/test/unit_test.hpp>

#include <atomic>

namespace cv = boost::contextvars;

int tracking_mismatch_plain_translation_unit();

namespace {

std::atomic<int> mismatches{0};
std::atomic<int> other_reports{0};

void record(cv::strict_report const& r)
{
    if(r.kind == cv::strict_violation::tracking_mismatch)
    {
        ++mismatches;
    }
    else
    {
        ++other_reports;
    }
}

struct install_recorder
{
    install_recorder()
    {
        cv::set_strict_handler(&record);
    }
};

#if !defined(TRACKING_MISMATCH_NO_HANDLER)
__attribute__((init_priority(101))) install_recorder recorder_installed_first;
#endif

} // namespace

// The other translation unit is one of several (test/CMakeLists.txt): the
// plain one of test/Jamfile by default, or the one TRACKING_MISMATCH_WITH
// names, whose function returns TRACKING_MISMATCH_EXPECT (or, at -1, is
// not called: its code is what the program must not run).
#if !defined(TRACKING_MISMATCH_EXPECT)
# define TRACKING_MISMATCH_EXPECT 0
#endif

BOOST_AUTO_TEST_CASE(mismatch_reported_once_at_start_up)
{
#if TRACKING_MISMATCH_EXPECT >= 0
    BOOST_TEST(tracking_mismatch_plain_translation_unit() == TRACKING_MISMATCH_EXPECT);
#endif
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
# if !defined(TRACKING_MISMATCH_WITH)
    BOOST_TEST(cv::detail::tracking_kinds_seen.load() ==
               (cv::detail::tracked_kind(BOOST_CONTEXTVARS_DETAIL_TRACKED_SPAWN != 0, false) | cv::detail::tracking_off));
# endif
    BOOST_TEST(mismatches.load() == 1);
    BOOST_TEST(other_reports.load() == 0);
#endif
}
