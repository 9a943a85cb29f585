// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// CHECK(cond): BOOST_TEST under one lock, for the documentation's snippets
// whose handlers and coroutines run on two threads at once. Boost.Test's
// checks are not thread-safe: two at once can corrupt its log and its
// failure count (a report of "1 failure" with no failed check was seen once
// in CI). Tests that are not quoted in the documentation use BG_CHECK
// (asio_test_support.hpp), which reports from the test's own thread.

#ifndef BOOST_CONTEXTVARS_TEST_LOCKED_CHECK_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_LOCKED_CHECK_HPP_INCLUDED

#include <boost/test/unit_test.hpp>
#include <mutex>

namespace test_support {

inline std::mutex& check_mutex()
{
    static std::mutex m;
    return m;
}

} // namespace test_support

#define CHECK(...)                                                                          \
    do                                                                                      \
    {                                                                                       \
        std::lock_guard<std::mutex> check_lock_(::test_support::check_mutex());             \
        BOOST_TEST(__VA_ARGS__);                                                            \
    } while(false)

#endif // BOOST_CONTEXTVARS_TEST_LOCKED_CHECK_HPP_INCLUDED
