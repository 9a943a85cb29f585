// Copyright 2026 The Boost.ContextVars authors.
// Distributed under the Boost Software License, Version 1.0 (https://www.boost.org/LICENSE_1_0.txt).

// Boost.Test's header-only framework and its main(), compiled once and linked into every
// test (CMake: boost_contextvars_test_main; b2: ..//boost_contextvars_test_main). Each test
// file defines BOOST_TEST_MODULE and includes <boost/test/unit_test.hpp>, which defines the
// init_unit_test_suite() that this main() calls.
#include <boost/test/included/unit_test.hpp>
