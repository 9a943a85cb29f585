// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Logging with context variables: a request id and a tenant set once per
// request appear in every log line of that request, through Boost.Log
// (`%RequestId%` in a format string) and spdlog (a custom `%Q` flag), and a
// whole context prints for diagnostics. Twenty requests run as chains of
// handlers on a two-thread pool through a context_executor; no function is
// given the id, except the checker, which compares each line's id with the
// one the message itself names. Exits non-zero on any mismatch.

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/io.hpp>
#include <boost/contextvars/log/boost_log.hpp>
#include <boost/contextvars/log/spdlog.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/core/null_deleter.hpp>
#include <boost/log/core.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/logger.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/log/utility/setup/formatter_parser.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <iostream>
#include <memory>
#include <sstream>
#include <string>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
namespace logging = boost::log;

// tag::vars[]
cv::context_var<int> request_id("request_id");
cv::context_var<std::string> tenant("tenant");
// end::vars[]

std::ostringstream boost_log_out, spdlog_out;
std::shared_ptr<spdlog::logger> spd;

void setup_logging()
{
    // tag::boost_log[]
    logging::core::get()->add_global_attribute("RequestId", cv::logging::var_attribute<int>(request_id));
    logging::core::get()->add_global_attribute("Tenant", cv::logging::var_attribute<std::string>(tenant));
    auto sink = boost::make_shared<logging::sinks::synchronous_sink<logging::sinks::text_ostream_backend>>();
    sink->set_formatter(logging::parse_formatter("[req=%RequestId% tenant=%Tenant%] %Message%"));
    // end::boost_log[]
    sink->locked_backend()->add_stream(boost::shared_ptr<std::ostream>(&boost_log_out, boost::null_deleter()));
    logging::core::get()->add_sink(sink);

    // tag::spdlog[]
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<cv::logging::spdlog_flag<int>>('Q', request_id, "-").set_pattern("[req=%Q] %v");
    spd = std::make_shared<spdlog::logger>("app", std::make_shared<spdlog::sinks::ostream_sink_mt>(spdlog_out));
    spd->set_formatter(std::move(formatter));
    // end::spdlog[]
}

// Application code: logs without being given the request id.
void step(char const* what, int echo)
{
    logging::sources::logger lg;
    BOOST_LOG(lg) << what << " echo=" << echo;
    spd->info("{} echo={}", what, echo);
}

// Lines whose [req=N ...] prefix differs from their echo=N.
int count_wrong(std::string const& text, int& lines)
{
    int wrong = 0;
    std::istringstream in(text);
    for(std::string l; std::getline(in, l); ++lines)
    {
        auto id = l.substr(5, l.find_first_of(" ]") - 5);
        if(l.substr(l.rfind("echo=") + 5) != id)
        {
            ++wrong;
        }
    }
    return wrong;
}

int main()
{
    setup_logging();
    {
        asio::thread_pool pool(2);
        cv::context_executor ex(pool);
        for(int i = 1; i <= 20; ++i)
        {
            cv::context().run([&] {
                request_id.set(i);
                tenant.set(i % 2 ? "acme" : "globex");
                asio::post(ex, [ex, i] {
                    step("parsed", i);
                    asio::post(ex, [i] { step("stored", i); });
                });
                if(i == 1)
                {
                    // tag::print[]
                    std::cout << "request 1 runs in " << cv::copy_context() << '\n';
                    // prints: request 1 runs in {request_id=1, tenant=acme}
                    // end::print[]
                }
            });
        }
        pool.join();
    }
    int lines = 0;
    int wrong = count_wrong(boost_log_out.str(), lines) + count_wrong(spdlog_out.str(), lines);
    std::cout << boost_log_out.str().substr(0, boost_log_out.str().find('\n') + 1)
              << spdlog_out.str().substr(0, spdlog_out.str().find('\n') + 1) << lines << " log lines, " << wrong
              << " with the wrong request id\n";
    return wrong == 0 && lines == 80 ? 0 : 1;
}
