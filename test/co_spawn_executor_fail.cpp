// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Must not compile: co_spawn with a bind_context token re-issues the spawn on
// a context_executor, which an awaitable typed on io_context's own executor
// cannot hold. The static_assert says what to do instead.

#include <boost/contextvars/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace asio = boost::asio;

asio::awaitable<void> with_any_io_executor()
{
    co_return;
}

asio::awaitable<void, asio::io_context::executor_type> with_concrete_executor()
{
    co_return;
}

int main()
{
    asio::io_context io;
    // The supported form compiles:
    asio::co_spawn(io.get_executor(), with_any_io_executor(), boost::contextvars::bind_context(asio::detached));

    // The offending line:
    asio::co_spawn(io.get_executor(), with_concrete_executor(), boost::contextvars::bind_context(asio::detached));
}
