// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// End-to-end benchmark (issue 25): a Boost.Beast HTTP/1.1 keep-alive server
// and its load generator in one program (the harness, the builds and the
// measurement: harness.hpp).
//
// Per request the session reads the request with http::async_read, takes its
// id from the X-Request-Id header, sets it in a context_var<int>, reads it
// back, makes one asynchronous hop (co_await post: the coroutine may resume
// on the other thread), reads the id again, and replies 200 with the id in
// X-Request-Id and a 64-byte body (http::async_write), then reads the id once
// more ("log" line). A request whose id read differs from the header's is
// counted as wrong. The client sends GET / with Connection: keep-alive on each
// of its connections and reads the response (checking its X-Request-Id).
//
// Usage: bench_beast_<mode> [seconds=2] [connections=32] [warmup_seconds=0.3]

#include "harness.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <stdexcept>
#include <string>

namespace {

using namespace bench_server;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr char const* id_field = "X-Request-Id";
std::string const body(64, 'x');

int header_id(http::fields const& f)
{
    auto const v = f[id_field];
    int id = -2;
    std::from_chars(v.data(), v.data() + v.size(), id);
    return id;
}

awaitable<void> session(tcp::socket socket)
{
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    beast::flat_buffer buffer;
    for(;;)
    {
        http::request<http::string_body> req;
        auto [rec, rn] = co_await http::async_read(socket, buffer, req, asio::as_tuple(use_awaitable));
        if(rec)
        {
            break;
        }
        int const id = header_id(req);
        (void)request_id.set(id);
        bool ok = request_id.get() == id;
        co_await asio::post(use_awaitable); // the one asynchronous hop
        ok &= request_id.get() == id;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "text/plain");
        res.set(id_field, req[id_field]);
        res.keep_alive(req.keep_alive());
        res.body() = body;
        res.prepare_payload();
        auto [wec, wn] = co_await http::async_write(socket, res, asio::as_tuple(use_awaitable));
        ok &= request_id.get() == id; // the "log" line after the reply
        count_request(ok);
        if(wec || !res.keep_alive())
        {
            break;
        }
        (void)rn;
        (void)wn;
    }
}

// The client's side of one connection: GET / keep-alive, read the response.
struct http_connection
{
    tcp::socket& socket;
    int index;
    int seq = 0;
    beast::flat_buffer buffer;
    http::request<http::empty_body> req{http::verb::get, "/", 11};

    http_connection(tcp::socket& s, int i): socket(s), index(i)
    {
        req.set(http::field::host, "127.0.0.1");
        req.keep_alive(true);
    }

    awaitable<void> round_trip()
    {
        int const id = request_number(index, seq++);
        req.set(id_field, std::to_string(id));
        co_await http::async_write(socket, req, use_awaitable);
        http::response<http::string_body> res;
        co_await http::async_read(socket, buffer, res, use_awaitable);
        if(header_id(res) != id)
        {
            throw std::runtime_error("response for another request");
        }
    }
};

} // namespace

int main(int argc, char** argv)
{
    return bench_server::run<http_connection>(argc, argv, "beast", session);
}
