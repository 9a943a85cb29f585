// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking with Asio's own handler tracking chained to it
// (BOOST_CONTEXTVARS_ASIO_HANDLER_TRACKING_LOG, asio/handler_tracking.hpp):
// Asio's "@asio|..." log still appears on stderr, an entry for each
// operation's creation and invocation, and values propagate as without the
// log. The test sends its own stderr to a file for the run and reads it.

#include <boost/contextvars/asio/handler_tracking.hpp>

#include <boost/contextvars/asio.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE tracking_asio_log
#include <boost/test/unit_test.hpp>

#include "asio_test_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace asio = boost::asio;
using test_support::read;

namespace {

// Sends stderr to a temporary file until text() is called.
class captured_stderr
{
public:
    captured_stderr(): file_(std::tmpfile()), saved_(::dup(2))
    {
        BOOST_TEST_REQUIRE(file_ != nullptr);
        std::fflush(stderr);
        ::dup2(::fileno(file_), 2);
    }

    captured_stderr(captured_stderr const&) = delete;
    captured_stderr& operator=(captured_stderr const&) = delete;

    ~captured_stderr()
    {
        restore();
        std::fclose(file_);
    }

    std::string text()
    {
        restore();
        std::string s;
        std::rewind(file_);
        char buf[4096];
        for(std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;)
        {
            s.append(buf, n);
        }
        return s;
    }

private:
    void restore()
    {
        if(saved_ >= 0)
        {
            std::fflush(stderr);
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
    }

    std::FILE* file_;
    int saved_;
};

std::size_t count(std::string const& text, std::string const& what)
{
    std::size_t n = 0;
    for(std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    {
        ++n;
    }
    return n;
}

} // namespace

BOOST_AUTO_TEST_CASE(asio_log_beside_propagation)
{
    captured_stderr err;
    std::vector<int> seen;
    {
        asio::io_context io;
        asio::steady_timer timer(io);
        test_support::context_with(1).run([&] {
            asio::post(io, [&] { seen.push_back(read()); });
            timer.expires_after(std::chrono::milliseconds(1));
            timer.async_wait([&](boost::system::error_code) { seen.push_back(read()); });
        });
        test_support::context_with(2).run([&] {
            asio::co_spawn(io, [&]() -> asio::awaitable<void> {
                test_support::var.set(3);
                co_await asio::post(io, asio::use_awaitable);
                seen.push_back(read());
            }, asio::detached);
        });
        io.run();
    }
    std::string log = err.text();
    std::sort(seen.begin(), seen.end());
    BOOST_TEST(seen == (std::vector<int>{1, 1, 3}), boost::test_tools::per_element());
    // Asio's log: each entry starts with "@asio|"; a creation is written
    // "|P*C|object@...", an invocation's start "|>C|".
    BOOST_TEST(count(log, "@asio|") >= 8u);
    BOOST_TEST(count(log, "*") >= 4u);
    BOOST_TEST(count(log, "|>") >= 4u);
    BOOST_TEST(log.find("io_context@") != std::string::npos);
    BOOST_TEST(log.find("deadline_timer@") != std::string::npos);
}
