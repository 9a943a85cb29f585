// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The interfaces of the modules of the shared-library test: two shared
// libraries linked into the program (module_a, module_b) and a plugin it
// dlopen()s. Every module is built with -fvisibility=hidden and owns one
// context_var, its module's first (so a registry per module would give each
// the same index); only the functions below are exported.

#ifndef BOOST_CONTEXTVARS_TEST_SHARED_LIBRARY_MODULES_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_SHARED_LIBRARY_MODULES_HPP_INCLUDED

#include <boost/contextvars/context.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <string>

#define CV_TEST_EXPORT __attribute__((visibility("default")))

namespace module_a {

// Its var: context_var<std::string> "user", no default.
CV_TEST_EXPORT boost::contextvars::context make_context(std::string const& user);
CV_TEST_EXPORT void set_user(std::string const& user);
CV_TEST_EXPORT std::string const* user_in(boost::contextvars::context const& c);
CV_TEST_EXPORT std::string current_user(); // "" when unset
// Posts `f` to `io` bound to the current context (bind_context, made here).
CV_TEST_EXPORT void post(boost::asio::io_context& io, std::function<void()> f);

} // namespace module_a

namespace module_b {

// Its var: context_var<std::uint64_t> "counter", no default.
CV_TEST_EXPORT void set_counter(std::uint64_t n);
CV_TEST_EXPORT std::uint64_t const* counter_in(boost::contextvars::context const& c);
CV_TEST_EXPORT std::uint64_t current_counter(); // 0 when unset
CV_TEST_EXPORT void post(boost::asio::io_context& io, std::function<void()> f);
// What module_a sees from inside module_b's code (b links a).
CV_TEST_EXPORT std::string user_seen_from_b();

} // namespace module_b

// The plugin's interface: one C function returns a table of these.
struct plugin_api
{
    // Its var: context_var<double> "ratio", no default.
    void (*set_ratio)(double);
    double const* (*ratio_in)(boost::contextvars::context const&);
    double (*current_ratio)(); // -1 when unset
    void (*post)(boost::asio::io_context&, std::function<void()>);
    // A context made in the plugin, with its var set.
    boost::contextvars::context (*make_context)(double);
};

extern "C" using plugin_entry = plugin_api const* (*)();
#define CV_TEST_PLUGIN_ENTRY "cv_test_plugin_api"

#endif // BOOST_CONTEXTVARS_TEST_SHARED_LIBRARY_MODULES_HPP_INCLUDED
