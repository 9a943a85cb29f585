// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A translation unit of test/tracking_mismatch.cpp's program that includes
// Asio and nothing of the library, built without whole-program tracking and
// linked first: its copy of Asio's scheduler is the one the program gets,
// and the library's start-up probe (asio/detail/tracking_check.hpp) sees
// that it is not tracking's. The function is never called: what it would
// run is the broken mix the check exists to stop.

#include <boost/asio/io_context.hpp>

int tracking_mismatch_plain_translation_unit()
{
    boost::asio::io_context io(1); // this translation unit's scheduler code
    return static_cast<int>(io.stopped());
}
