// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The translation unit of test/tracking_mismatch.cpp that is built unlike
// it: WITHOUT whole-program tracking (test/Jamfile), with another custom
// handler tracker, or with tracking as C++17 (test/CMakeLists.txt). It
// includes the library's Asio headers (so it registers its kind at start-up)
// and uses nothing of Asio: the program's behaviour does not depend on the
// mismatch it exists to show.

#include <boost/contextvars/asio.hpp>

int tracking_mismatch_plain_translation_unit()
{
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
    return 1;
#else
    return 0;
#endif
}
