// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests of <boost/contextvars/io.hpp>: a context prints the names and values
// of its variables (sorted by name, defaults left out), a value type without
// operator<< prints as <unprintable T>, and the fmt and std::format
// formatters write the same text.

#include <boost/contextvars/io.hpp>
#include <boost/contextvars/context_var.hpp>

#define BOOST_TEST_MODULE print
#include <boost/test/unit_test.hpp>

#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace cv = boost::contextvars;

namespace {

struct opaque
{
    int x;
};

struct money
{
    long cents;
};

std::ostream& operator<<(std::ostream& os, money const& m)
{
    return os << m.cents / 100 << '.' << (m.cents % 100 < 10 ? "0" : "") << m.cents % 100 << " EUR";
}

cv::context_var<int> request_id("request_id");
cv::context_var<std::string> tenant("tenant", "nobody");
cv::context_var<opaque> handle("handle");
cv::context_var<money> budget("budget");
cv::context_var<std::vector<int>> path("path");

} // namespace

BOOST_AUTO_TEST_CASE(an_empty_context_prints_braces)
{
    BOOST_TEST(cv::to_string(cv::context()) == "{}");
}

// tag::print[]
BOOST_AUTO_TEST_CASE(values_print_sorted_by_name_with_their_own_operator)
{
    cv::context c;
    c.run([] {
        request_id.set(42);
        tenant.set("acme");
        budget.set(money{1205});
    });
    std::ostringstream os;
    os << c;
    BOOST_TEST(os.str() == "{budget=12.05 EUR, request_id=42, tenant=acme}");
}
// end::print[]

BOOST_AUTO_TEST_CASE(defaults_are_not_values)
{
    cv::context c;
    c.run([] { request_id.set(1); });
    BOOST_TEST(cv::to_string(c) == "{request_id=1}"); // tenant has only its default
}

BOOST_AUTO_TEST_CASE(a_type_without_operator_prints_as_unprintable)
{
    cv::context c;
    c.run([] {
        handle.set(opaque{3});
        path.set({1, 2});
    });
    std::string s = cv::to_string(c);
    BOOST_TEST_MESSAGE(s);
    BOOST_TEST(s.find("handle=<unprintable ") != std::string::npos);
    BOOST_TEST(s.find("opaque>") != std::string::npos);
    BOOST_TEST(s.find("path=<unprintable std::vector<int") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_current_context_prints)
{
    cv::context().run([] {
        request_id.set(7);
        BOOST_TEST(cv::current_context_string() == "{request_id=7}");
    });
    BOOST_TEST(cv::current_context_string().find("request_id=7") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_value_outlives_its_variable_and_still_prints)
{
    auto v = std::make_unique<cv::context_var<int>>("short_lived");
    cv::context c;
    c.run([&] { v->set(5); });
    v.reset();
    BOOST_TEST(cv::to_string(c) == "{short_lived=5}");
}

#if BOOST_CONTEXTVARS_HAS_FMT
BOOST_AUTO_TEST_CASE(fmt_formats_a_context_as_operator_does)
{
    cv::context c;
    c.run([] { request_id.set(9); });
    BOOST_TEST(fmt::format("ctx {}", c) == "ctx {request_id=9}");
    BOOST_TEST(fmt::format("[{:>16}]", c) == "[  {request_id=9}]");
}
#endif

#if BOOST_CONTEXTVARS_HAS_STD_FORMAT
BOOST_AUTO_TEST_CASE(std_format_formats_a_context_as_operator_does)
{
    cv::context c;
    c.run([] { request_id.set(9); });
    BOOST_TEST(std::format("ctx {}", c) == "ctx {request_id=9}");
}
#endif
