// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The load client of the HTTP programs of the real-world corpus
// (http_keepalive.cpp, spawn_http.cpp), for run_clients: one keep-alive
// connection per client, its requests answered with their own target. It runs
// on the clients' thread and knows nothing of the library.

#ifndef BOOST_CONTEXTVARS_TEST_REALWORLD_HTTP_CLIENT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_REALWORLD_HTTP_CLIENT_HPP_INCLUDED

#include "realworld.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace realworld {

// `messages` requests on one connection, the last with `Connection: close`;
// every 8th client drops the connection before its second response.
inline asio::awaitable<void> http_client(tcp::endpoint server, int k, int messages, std::atomic<int>& finished)
{
    namespace http = boost::beast::http;
    boost::beast::tcp_stream stream(co_await asio::this_coro::executor);
    co_await stream.async_connect(server, asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    bool early = k % 8 == 0;
    for(int j = 0; j < messages; ++j)
    {
        std::string target = "/client/" + std::to_string(k) + "/request/" + std::to_string(j);
        http::request<http::empty_body> req(http::verb::get, target, 11);
        req.set(http::field::host, "127.0.0.1");
        req.keep_alive(j + 1 < messages);
        co_await http::async_write(stream, req, asio::use_awaitable);
        if(early && j == 1)
        {
            stream.socket().close(); // gone before the response
            ++finished;
            co_return;
        }
        http::response<http::string_body> res;
        co_await http::async_read(stream, buffer, res, asio::use_awaitable);
        if(res.body() != target)
        {
            fail("client " + std::to_string(k) + ": response " + res.body() + " to " + target);
        }
    }
    ++finished;
}

} // namespace realworld

#endif
