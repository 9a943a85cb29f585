// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The plugin of the shared-library test (see modules.hpp): loaded with
// dlopen(RTLD_NOW | RTLD_LOCAL), linked against no module of the program,
// with one context_var<double>.

#include "modules.hpp"

#include <boost/contextvars.hpp>
#include <boost/asio/post.hpp>

namespace {

boost::contextvars::context_var<double> ratio("ratio");

void set_ratio(double r)
{
    ratio.set(r);
}

double const* ratio_in(boost::contextvars::context const& c)
{
    return c.get(ratio);
}

double current_ratio()
{
    return ratio.get(-1.0);
}

void post(boost::asio::io_context& io, std::function<void()> f)
{
    boost::asio::post(io, boost::contextvars::bind_context(std::move(f)));
}

boost::contextvars::context make_context(double r)
{
    boost::contextvars::context c;
    c.run([&] { ratio.set(r); });
    return c;
}

plugin_api const api = {&set_ratio, &ratio_in, &current_ratio, &post, &make_context};

} // namespace

extern "C" CV_TEST_EXPORT plugin_api const* cv_test_plugin_api()
{
    return &api;
}
