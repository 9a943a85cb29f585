// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests of <boost/contextvars/log/boost_log.hpp>: `%RequestId%` and
// `%Tenant%` in a Boost.Log format print the context variables' values in
// the context where each record is made, nothing when unset, also in
// handlers run on a thread pool through a context_executor and with
// bind_context, and in records that an asynchronous sink formats later on
// its own thread.

#include <boost/contextvars/log/boost_log.hpp>
#include <boost/contextvars/asio.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/attribute_cast.hpp>
#include <boost/log/attributes/attribute_set.hpp>
#include <boost/log/core.hpp>
#include <boost/log/sinks/async_frontend.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/logger.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>

#define BOOST_TEST_MODULE boost_log
#include <boost/test/unit_test.hpp>

#include "log_using_directive.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace cv = boost::contextvars;
namespace logging = boost::log;
namespace asio = boost::asio;

namespace {

cv::context_var<int> request_id("request_id");
cv::context_var<std::string> tenant("tenant");

// A synchronous text sink into a string stream, with `format`, and the two
// attributes registered globally; removed again at the end of each test.
struct log_fixture
{
    using sink_t = logging::sinks::synchronous_sink<logging::sinks::text_ostream_backend>;

    std::shared_ptr<std::ostringstream> out = std::make_shared<std::ostringstream>();
    boost::shared_ptr<sink_t> sink;

    log_fixture()
    {
        // tag::setup[]
        logging::core::get()->add_global_attribute("RequestId", cv::logging::var_attribute<int>(request_id));
        logging::core::get()->add_global_attribute("Tenant", cv::logging::var_attribute<std::string>(tenant));
        // end::setup[]
        sink = boost::make_shared<sink_t>();
        sink->locked_backend()->add_stream(boost::shared_ptr<std::ostream>(out.get(), boost::null_deleter()));
        sink->set_formatter(logging::parse_formatter("[%RequestId%|%Tenant%] %Message%"));
        logging::core::get()->add_sink(sink);
    }

    ~log_fixture()
    {
        logging::core::get()->remove_sink(sink);
        logging::core::get()->set_global_attributes(logging::attribute_set());
    }

    std::vector<std::string> lines()
    {
        sink->flush();
        std::vector<std::string> r;
        std::istringstream in(out->str());
        for(std::string l; std::getline(in, l);)
        {
            r.push_back(l);
        }
        std::sort(r.begin(), r.end());
        return r;
    }
};

void log_line(char const* what)
{
    logging::sources::logger lg;
    BOOST_LOG(lg) << what;
}

} // namespace

BOOST_FIXTURE_TEST_CASE(a_format_prints_the_current_values_and_nothing_when_unset, log_fixture)
{
    log_line("before");
    cv::context().run([] {
        request_id.set(42);
        log_line("id only");
        tenant.set("acme");
        log_line("both");
    });
    log_line("after");
    auto l = lines();
    BOOST_TEST_REQUIRE(l.size() == 4u);
    BOOST_TEST(l[0] == "[42|] id only");
    BOOST_TEST(l[1] == "[42|acme] both");
    BOOST_TEST(l[2] == "[|] after");
    BOOST_TEST(l[3] == "[|] before");
}

BOOST_FIXTURE_TEST_CASE(handlers_on_a_thread_pool_log_their_own_context, log_fixture)
{
    {
        asio::thread_pool pool(2);
        cv::context_executor ex(pool);
        for(int i = 0; i < 20; ++i)
        {
            cv::context().run([&] {
                request_id.set(i);
                tenant.set(i % 2 ? "odd" : "even");
                asio::post(ex, [] { log_line("posted"); });
                asio::post(pool, cv::bind_context([] { log_line("bound"); }));
                asio::post(pool, [] { log_line("plain"); }); // no context: nothing printed
            });
        }
        pool.join();
    }
    auto l = lines();
    BOOST_TEST_REQUIRE(l.size() == 60u);
    int plain = 0;
    for(int i = 0; i < 20; ++i)
    {
        std::string prefix = "[" + std::to_string(i) + "|" + (i % 2 ? "odd" : "even") + "] ";
        BOOST_TEST((std::count(l.begin(), l.end(), prefix + "posted") == 1), prefix);
        BOOST_TEST((std::count(l.begin(), l.end(), prefix + "bound") == 1), prefix);
    }
    plain = static_cast<int>(std::count(l.begin(), l.end(), "[|] plain"));
    BOOST_TEST(plain == 20);
}

BOOST_AUTO_TEST_CASE(an_asynchronous_sink_formats_the_values_of_the_logging_context)
{
    using async_t = logging::sinks::asynchronous_sink<logging::sinks::text_ostream_backend>;
    auto out = std::make_shared<std::ostringstream>();
    logging::core::get()->add_global_attribute("RequestId", cv::logging::var_attribute<int>(request_id));
    auto sink = boost::make_shared<async_t>();
    sink->locked_backend()->add_stream(boost::shared_ptr<std::ostream>(out.get(), boost::null_deleter()));
    sink->set_formatter(logging::parse_formatter("[%RequestId%] %Message%"));
    logging::core::get()->add_sink(sink);
    for(int i = 0; i < 10; ++i)
    {
        cv::context().run([&] {
            request_id.set(100 + i);
            log_line("async");
        });
    }
    logging::core::get()->remove_sink(sink);
    sink->stop();
    sink->flush();
    logging::core::get()->set_global_attributes(logging::attribute_set());
    for(int i = 0; i < 10; ++i)
    {
        BOOST_TEST(out->str().find("[" + std::to_string(100 + i) + "] async") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(attribute_cast_recovers_the_variable)
{
    logging::attribute a = cv::logging::var_attribute<int>(request_id);
    auto back = logging::attribute_cast<cv::logging::var_attribute<int>>(a);
    BOOST_TEST(&back.var() == &request_id);
    auto wrong = logging::attribute_cast<cv::logging::var_attribute<std::string>>(a);
    BOOST_TEST(!wrong);
    BOOST_CHECK_THROW(wrong.var(), std::logic_error);
}
