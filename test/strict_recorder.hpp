// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A strict-mode handler that records what it is told, for the tests of
// strict mode: a `recorder` installs it for the length of a test and puts the
// previous handler back.

#ifndef BOOST_CONTEXTVARS_TEST_STRICT_RECORDER_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_STRICT_RECORDER_HPP_INCLUDED

#include <boost/contextvars/strict.hpp>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace test_support {

struct report
{
    boost::contextvars::strict_violation kind;
    std::string message;
};

inline std::mutex reports_mutex;
inline std::vector<report> reports;

inline void record(boost::contextvars::strict_report const& r)
{
    std::lock_guard<std::mutex> lock(reports_mutex);
    reports.push_back({r.kind, std::string(r.message)});
}

// How many of `r` are of `kind`.
inline std::size_t count(std::vector<report> const& r, boost::contextvars::strict_violation kind)
{
    return static_cast<std::size_t>(std::count_if(r.begin(), r.end(), [&](report const& x) { return x.kind == kind; }));
}

// Installs the recording handler for one test; strict mode is off again after it.
struct recorder
{
    recorder()
    {
        std::lock_guard<std::mutex> lock(reports_mutex);
        reports.clear();
        previous = boost::contextvars::set_strict_handler(&record);
    }

    ~recorder()
    {
        boost::contextvars::set_strict_handler(previous);
    }

    std::vector<report> taken()
    {
        std::lock_guard<std::mutex> lock(reports_mutex);
        return reports;
    }

    boost::contextvars::strict_handler previous;
};

} // namespace test_support

#endif // BOOST_CONTEXTVARS_TEST_STRICT_RECORDER_HPP_INCLUDED
