#ifndef BOOST_CONTEXTVARS_CONTEXT_EXECUTOR_HPP_INCLUDED
#define BOOST_CONTEXTVARS_CONTEXT_EXECUTOR_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Deprecated path, kept for one release: context_executor is Asio
// integration and lives in <boost/contextvars/asio/context_executor.hpp>.
// Define BOOST_CONTEXTVARS_ALLOW_DEPRECATED_HEADERS to silence the message.

#if !defined(BOOST_CONTEXTVARS_ALLOW_DEPRECATED_HEADERS)
# if defined(__GNUC__) || defined(__clang__)
#  pragma message("<boost/contextvars/context_executor.hpp> is deprecated: include <boost/contextvars/asio/context_executor.hpp>")
# endif
#endif

#include <boost/contextvars/asio/context_executor.hpp>

#endif // BOOST_CONTEXTVARS_CONTEXT_EXECUTOR_HPP_INCLUDED
