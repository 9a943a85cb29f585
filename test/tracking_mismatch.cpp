// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A program whose translation units disagree about whole-program tracking:
// this one is built with Boost::contextvars_tracking, the one in
// tracking_mismatch_plain.cpp without. In debug builds the library reports
// the mismatch at start-up, through the strict-mode handler. The recording
// handler is installed by an initialiser that runs before every ordinary one
// (init_priority), so that the report, made during static initialisation,
// reaches it.

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

__attribute__((init_priority(101))) install_recorder recorder_installed_first;

} // namespace

BOOST_AUTO_TEST_CASE(mismatch_reported_once_at_start_up)
{
    BOOST_TEST(tracking_mismatch_plain_translation_unit() == 0);
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING) && BOOST_CONTEXTVARS_DETAIL_CHECK_TRACKING
    BOOST_TEST(cv::detail::tracking_kinds_seen.load() == unsigned(cv::detail::tracking_on | cv::detail::tracking_off));
    BOOST_TEST(mismatches.load() == 1);
    BOOST_TEST(other_reports.load() == 0);
#endif
}
