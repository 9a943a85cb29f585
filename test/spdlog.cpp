// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests of <boost/contextvars/log/spdlog.hpp>: custom pattern flags print
// context variables' values in the context current at the logging call
// (text for unset, operator<< for types fmt cannot format, <unprintable T>
// for the rest), also from handlers on a thread pool.

#include <boost/contextvars/log/spdlog.hpp>
#include <boost/contextvars/asio.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#define BOOST_TEST_MODULE spdlog
#include <boost/test/unit_test.hpp>

#include "log_using_directive.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace cv = boost::contextvars;
namespace asio = boost::asio;

namespace {

struct point
{
    int x, y;
};

std::ostream& operator<<(std::ostream& os, point const& p)
{
    return os << '(' << p.x << ',' << p.y << ')';
}

struct opaque
{
};

cv::context_var<int> request_id("request_id");
cv::context_var<std::string> tenant("tenant", "default-tenant");
cv::context_var<point> where("where");
cv::context_var<opaque> handle("handle");

// tag::setup[]
std::shared_ptr<spdlog::logger> make_logger(std::ostream& out)
{
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<cv::logging::spdlog_flag<int>>('Q', request_id, "-")
        .add_flag<cv::logging::spdlog_flag<std::string>>('K', tenant)
        .set_pattern("[%Q|%K] %v");
    auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_formatter(std::move(formatter));
    return logger;
}
// end::setup[]

std::vector<std::string> lines_of(std::ostringstream const& out)
{
    std::vector<std::string> r;
    std::istringstream in(out.str());
    for(std::string l; std::getline(in, l);)
    {
        r.push_back(l);
    }
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(flags_print_the_current_values)
{
    std::ostringstream out;
    auto logger = make_logger(out);
    logger->info("before");
    cv::context().run([&] {
        request_id.set(42);
        logger->info("id");
        tenant.set("acme");
        logger->info("both");
    });
    logger->info("after");
    auto l = lines_of(out);
    BOOST_TEST_REQUIRE(l.size() == 4u);
    BOOST_TEST(l[0] == "[-|default-tenant] before");
    BOOST_TEST(l[1] == "[42|default-tenant] id");
    BOOST_TEST(l[2] == "[42|acme] both");
    BOOST_TEST(l[3] == "[-|default-tenant] after");
}

BOOST_AUTO_TEST_CASE(types_without_fmt_formatter_use_operator_or_print_unprintable)
{
    std::ostringstream out;
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<cv::logging::spdlog_flag<point>>('P', where).add_flag<cv::logging::spdlog_flag<opaque>>('O', handle);
    formatter->set_pattern("%P %O %v");
    spdlog::logger logger("t", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    logger.set_formatter(std::move(formatter));
    cv::context().run([&] {
        where.set(point{1, 2});
        handle.set(opaque{});
        logger.info("x");
    });
    std::string s = out.str();
    BOOST_TEST(s.find("(1,2) <unprintable ") == 0u, s);
    BOOST_TEST(s.find("opaque> x") != std::string::npos, s);
}

BOOST_AUTO_TEST_CASE(handlers_on_a_thread_pool_log_their_own_context)
{
    std::ostringstream out;
    auto logger = make_logger(out);
    {
        asio::thread_pool pool(2);
        cv::context_executor ex(pool);
        for(int i = 0; i < 20; ++i)
        {
            cv::context().run([&] {
                request_id.set(i);
                asio::post(ex, [&logger, i] { logger->info("posted {}", i); });
                asio::post(pool, cv::bind_context([&logger, i] { logger->info("bound {}", i); }));
            });
        }
        pool.join();
    }
    auto l = lines_of(out);
    BOOST_TEST(l.size() == 40u);
    for(std::string const& line: l)
    {
        // "[i|default-tenant] posted i": the id in the prefix is the one in the message.
        auto id = line.substr(1, line.find('|') - 1);
        BOOST_TEST(line.substr(line.rfind(' ') + 1) == id, line);
    }
}
