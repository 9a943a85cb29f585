// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Must not compile: strand<context_executor<E>> would run queued functions
// in the context of whichever submission started the strand's turn; the
// static_assert says to use context_executor<strand<E>> instead.

#include <boost/contextvars/asio/context_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

using cx = boost::contextvars::context_executor<boost::asio::io_context::executor_type>;

int main()
{
    // The supported form compiles:
    boost::asio::io_context io;
    boost::contextvars::context_executor<boost::asio::strand<boost::asio::io_context::executor_type>> ok(
        boost::asio::make_strand(io));
    (void)ok;

    return sizeof(boost::asio::strand<cx>) != 0; // the offending line
}
