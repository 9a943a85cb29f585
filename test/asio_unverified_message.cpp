// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// On an Asio version the library has not verified (simulated), including its
// Asio headers says so at compile time. The test passes when the compiler's
// output carries that message; the #error below keeps the build from ever
// succeeding, so that every run compiles this file again and sees it.

#define BOOST_CONTEXTVARS_DETAIL_ASIO_VERSION 999999

#include <boost/contextvars/asio.hpp>

#error "asio_unverified_message: end of test"
