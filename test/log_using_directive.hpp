// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A test case shared by the logging bridges' tests, each of which includes
// it after its bridge: the bridges live in boost::contextvars::logging,
// because a namespace named `log` made `log(x)` ambiguous under
// `using namespace boost::contextvars;`.

#ifndef BOOST_CONTEXTVARS_TEST_LOG_USING_DIRECTIVE_HPP
#define BOOST_CONTEXTVARS_TEST_LOG_USING_DIRECTIVE_HPP

#include <boost/test/unit_test.hpp>

#include <cmath>

namespace using_directive {

using namespace boost::contextvars;

inline double natural_log(double x)
{
    return log(x);
}

} // namespace using_directive

BOOST_AUTO_TEST_CASE(log_is_still_the_math_function_under_a_using_directive)
{
    BOOST_TEST(using_directive::natural_log(1.0) == 0.0);
}

#endif
