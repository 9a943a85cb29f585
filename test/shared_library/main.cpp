// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// One state per process, whatever the module layout (issue 22): this
// program, two shared libraries it links (module_a, module_b) and a plugin
// it dlopen()s, each built with -fvisibility=hidden and each with a var of
// its own, share contexts and run each other's handlers on one io_context.
// Without one registry per process, each module's first var has index 0 and
// a lookup in a context made by another module finds that module's value
// (read as the wrong type); without one current-context pointer per thread,
// a set() made by a module inside the program's context::run() lands
// elsewhere. See modules.hpp.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/contextvars.hpp>
#include "../strict_recorder.hpp"
#include "modules.hpp"

#include <atomic>
#include <dlfcn.h>
#include <string>
#include <thread>

#define BOOST_TEST_MODULE shared_library
#include <boost/test/unit_test.hpp>

namespace cv = boost::contextvars;
namespace asio = boost::asio;

namespace {

cv::context_var<int> request("request");

plugin_api const& plugin()
{
    static plugin_api const* api = [] {
        void* h = ::dlopen(CV_TEST_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        BOOST_TEST_REQUIRE(h != nullptr, "dlopen: " << ::dlerror());
        auto entry = reinterpret_cast<plugin_entry>(::dlsym(h, CV_TEST_PLUGIN_ENTRY));
        BOOST_TEST_REQUIRE(entry != nullptr, "dlsym: " << ::dlerror());
        return entry(); // never unloaded: its vars' values may outlive any dlclose()
    }();
    return *api;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_var_of_another_module_is_absent)
{
    cv::context a = module_a::make_context("alice");
    BOOST_TEST(a.size() == 1u);
    BOOST_TEST_REQUIRE(module_a::user_in(a) != nullptr);
    BOOST_TEST(*module_a::user_in(a) == "alice");
    BOOST_TEST(module_b::counter_in(a) == nullptr);
    BOOST_TEST(plugin().ratio_in(a) == nullptr);
    BOOST_TEST(a.get(request) == nullptr);

    cv::context p = plugin().make_context(0.5);
    BOOST_TEST(p.size() == 1u);
    BOOST_TEST(module_a::user_in(p) == nullptr);
    BOOST_TEST(module_b::counter_in(p) == nullptr);
    BOOST_TEST_REQUIRE(plugin().ratio_in(p) != nullptr);
    BOOST_TEST(*plugin().ratio_in(p) == 0.5);
}

BOOST_AUTO_TEST_CASE(one_current_context)
{
    cv::context d;
    d.run([] {
        request.set(1);
        module_a::set_user("bob");
        module_b::set_counter(7);
        plugin().set_ratio(0.25);
        BOOST_TEST(module_b::user_seen_from_b() == "bob");
        BOOST_TEST(module_b::current_counter() == 7u);
        BOOST_TEST(plugin().current_ratio() == 0.25);
    });
    BOOST_TEST(d.size() == 4u);
    BOOST_TEST_REQUIRE(module_a::user_in(d) != nullptr);
    BOOST_TEST(*module_a::user_in(d) == "bob");
    BOOST_TEST_REQUIRE(module_b::counter_in(d) != nullptr);
    BOOST_TEST(*module_b::counter_in(d) == 7u);
    BOOST_TEST_REQUIRE(plugin().ratio_in(d) != nullptr);
    BOOST_TEST(*plugin().ratio_in(d) == 0.25);
    // Nothing landed in this thread's base context.
    BOOST_TEST(module_a::current_user() == "");
    BOOST_TEST(plugin().current_ratio() == -1.0);
}

BOOST_AUTO_TEST_CASE(handlers_of_each_module_on_one_io_context)
{
    asio::io_context io;
    std::atomic<int> seen{0}, wrong{0};
    // Every handler sees every module's value, and its own change stays in
    // its own context.
    auto check = [&] {
        bool ok = request.get(0) == 2 && module_a::current_user() == "carol" &&
            module_b::current_counter() == 42u && plugin().current_ratio() == 1.5 &&
            module_b::user_seen_from_b() == "carol";
        module_b::set_counter(99);
        (ok ? seen : wrong).fetch_add(1);
    };
    cv::context root;
    root.run([&] {
        request.set(2);
        module_a::set_user("carol");
        module_b::set_counter(42);
        plugin().set_ratio(1.5);
        for(int i = 0; i < 50; ++i)
        {
            module_a::post(io, check);
            module_b::post(io, check);
            plugin().post(io, check);
            asio::post(io, cv::bind_context(check));
            // A chain through the three modules: each hop rebinds the context it runs in.
            module_a::post(io, [&] { module_b::post(io, [&] { plugin().post(io, check); }); });
        }
    });
    std::thread t([&] { io.run(); });
    io.run();
    t.join();
    BOOST_TEST(wrong.load() == 0);
    BOOST_TEST(seen.load() == 250);
    BOOST_TEST(*module_b::counter_in(root) == 42u);
    BOOST_TEST(module_b::current_counter() == 0u);
}

BOOST_AUTO_TEST_CASE(strict_mode_is_one_for_all_modules)
{
    test_support::recorder rec;
    asio::io_context io;
    // A handler posted without a context: module_a's set() lands in the
    // thread's base context inside io.run(), which strict mode reports
    // through the handler this program installed.
    asio::post(io, [] { module_a::set_user("dave"); });
    io.run();
    BOOST_TEST(test_support::count(rec.taken(), cv::strict_violation::set_in_base_context) == 1u);
    BOOST_TEST(module_a::current_user() == "dave"); // the base context, as reported
}
