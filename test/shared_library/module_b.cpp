// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// module_b of the shared-library test (see modules.hpp): a shared library
// with one context_var<std::uint64_t>, linked against module_a.

#include "modules.hpp"

#include <boost/contextvars.hpp>
#include <boost/asio/post.hpp>

namespace {
boost::contextvars::context_var<std::uint64_t> counter("counter");
} // namespace

namespace module_b {

void set_counter(std::uint64_t n)
{
    counter.set(n);
}

std::uint64_t const* counter_in(boost::contextvars::context const& c)
{
    return c.get(counter);
}

std::uint64_t current_counter()
{
    return counter.get(std::uint64_t(0));
}

void post(boost::asio::io_context& io, std::function<void()> f)
{
    boost::asio::post(io, boost::contextvars::bind_context(std::move(f)));
}

std::string user_seen_from_b()
{
    return module_a::current_user();
}

} // namespace module_b
