#ifndef BOOST_CONTEXTVARS_ASIO_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The Asio integration of Boost.ContextVars: context_executor,
// bind_context as a completion token, and return_context. Include it in every translation unit
// that hands a bind_context wrapper to Asio.

#include <boost/contextvars.hpp>
#include <boost/contextvars/asio/context_executor.hpp>
#include <boost/contextvars/asio/bind_context.hpp>
#include <boost/contextvars/asio/return_context.hpp>

#endif // BOOST_CONTEXTVARS_ASIO_HPP_INCLUDED
