#ifndef BOOST_CONTEXTVARS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The core of Boost.ContextVars: Python's contextvars (PEP 567) in C++.
// The Asio integration is in <boost/contextvars/asio.hpp>.

#include <boost/contextvars/bind_context.hpp>
#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/errors.hpp>
#include <boost/contextvars/flow.hpp>
#include <boost/contextvars/mirror.hpp>
#include <boost/contextvars/scoped_set.hpp>
#include <boost/contextvars/token.hpp>
#include <boost/contextvars/watch.hpp>

#endif // BOOST_CONTEXTVARS_HPP_INCLUDED
