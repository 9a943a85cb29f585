// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// bind_context(token) is an Asio completion token only with
// <boost/contextvars/asio.hpp>; without it, a static_assert names the header.

#include <boost/contextvars/bind_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

void f(boost::asio::io_context& io)
{
    boost::asio::steady_timer t(io);
    t.async_wait(boost::contextvars::bind_context(boost::asio::use_awaitable));
}
