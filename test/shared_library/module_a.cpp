// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// module_a of the shared-library test (see modules.hpp): a shared library
// with one context_var<std::string>.

#include "modules.hpp"

#include <boost/contextvars.hpp>
#include <boost/asio/post.hpp>

namespace {
boost::contextvars::context_var<std::string> user("user");
} // namespace

namespace module_a {

boost::contextvars::context make_context(std::string const& u)
{
    boost::contextvars::context c;
    c.run([&] { user.set(u); });
    return c;
}

void set_user(std::string const& u)
{
    user.set(u);
}

std::string const* user_in(boost::contextvars::context const& c)
{
    return c.get(user);
}

std::string current_user()
{
    return user.get(std::string());
}

void post(boost::asio::io_context& io, std::function<void()> f)
{
    boost::asio::post(io, boost::contextvars::bind_context(std::move(f)));
}

} // namespace module_a
