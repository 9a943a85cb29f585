// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// W3C trace context across two processes (C++20 coroutines, Boost.Beast,
// the OpenTelemetry C++ API). A frontend HTTP/1.1 server and a downstream
// server, each on 127.0.0.1, each handling requests as coroutines on a
// two-thread pool with timers and hops between threads. The downstream is
// this same program, started by the frontend with the argument `downstream`.
//
// Each server extracts the incoming `traceparent` and `baggage` headers with
// OpenTelemetry's own propagators (HttpTraceContext, BaggagePropagator),
// starts a server span under the extracted one and attaches the result for
// the whole request. Nothing passes the trace along by hand: the logger
// reads the current span and baggage from OpenTelemetry's RuntimeContext,
// and the frontend's call to the downstream injects the current context into
// the outgoing headers. otel::install() is what makes that current context
// follow each coroutine instead of each thread.
//
// A built-in client sends 200 requests, 20 in flight, each with its own
// trace id and a tenant in its baggage. Every log line of both processes
// carries the trace id and tenant found in the current context, and the
// request number the handler was given explicitly; the program checks each
// line against what the client sent, prints a summary such as
//   200 requests, 2 processes, 1600 log lines, 0 with the wrong trace id
// and exits non-zero if any line is wrong or any request failed. Run it with
// `--default-storage` to see OpenTelemetry's thread-local default get lines
// wrong.

#include <boost/contextvars/asio.hpp>
#include <boost/contextvars/opentelemetry.hpp>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <opentelemetry/baggage/baggage.h>
#include <opentelemetry/baggage/baggage_context.h>
#include <opentelemetry/baggage/propagation/baggage_propagator.h>
#include <opentelemetry/context/propagation/text_map_propagator.h>
#include <opentelemetry/context/runtime_context.h>
#include <opentelemetry/trace/context.h>
#include <opentelemetry/trace/default_span.h>
#include <opentelemetry/trace/propagation/http_trace_context.h>
#include <opentelemetry/trace/span_context.h>
#include <opentelemetry/trace/tracer.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace cv = boost::contextvars;
namespace otel = opentelemetry;
using asio::awaitable;
using asio::ip::tcp;
using asio::use_awaitable;
using executor = cv::context_executor<asio::thread_pool::executor_type>;
using namespace std::chrono_literals;

constexpr int total_requests = 200;
constexpr int in_flight = 20;

// ---- OpenTelemetry glue: headers as a carrier, server spans ------------------------

// Beast's header fields as the text map OpenTelemetry's propagators read and write.
class fields_carrier: public otel::context::propagation::TextMapCarrier
{
public:
    explicit fields_carrier(http::fields& f): fields_(f) {}

    otel::nostd::string_view Get(otel::nostd::string_view key) const noexcept override
    {
        auto it = fields_.find(beast::string_view(key.data(), key.size()));
        return it == fields_.end() ? otel::nostd::string_view()
                                   : otel::nostd::string_view(it->value().data(), it->value().size());
    }

    void Set(otel::nostd::string_view key, otel::nostd::string_view value) noexcept override
    {
        try
        {
            fields_.set(beast::string_view(key.data(), key.size()), beast::string_view(value.data(), value.size()));
        }
        catch(...)
        {
        }
    }

private:
    http::fields& fields_;
};

template<std::size_t N>
std::array<std::uint8_t, N> random_bytes()
{
    thread_local std::mt19937_64 rng(std::random_device{}());
    std::array<std::uint8_t, N> r;
    for(auto& b: r)
    {
        b = static_cast<std::uint8_t>(rng() | 1); // never all zero: an all-zero id is invalid
    }
    return r;
}

template<class Id>
std::string hex(Id const& id)
{
    char buf[2 * 16 + 1] = {};
    id.ToLowerBase16(otel::nostd::span<char, 2 * Id::kSize>(buf, 2 * Id::kSize));
    return std::string(buf, 2 * Id::kSize);
}

// The context in `req`'s headers (trace parent and baggage), with a new
// server span, child of the extracted one, made current in it.
otel::context::Context extract_with_server_span(http::fields& headers)
{
    fields_carrier carrier(headers);
    auto ctx = otel::context::RuntimeContext::GetCurrent();
    ctx = otel::trace::propagation::HttpTraceContext().Extract(carrier, ctx);
    ctx = otel::baggage::propagation::BaggagePropagator().Extract(carrier, ctx);
    auto parent = otel::trace::GetSpan(ctx)->GetContext();
    auto span_id = random_bytes<8>();
    otel::trace::SpanContext server(parent.trace_id(), otel::trace::SpanId(otel::nostd::span<std::uint8_t const, 8>(span_id.data(), 8)), parent.trace_flags(), false);
    return ctx.SetValue(otel::trace::kSpanKey,
        otel::nostd::shared_ptr<otel::trace::Span>(new otel::trace::DefaultSpan(server)));
}

// ---- logging: every line carries the current trace id and tenant -----------------

std::mutex log_mutex;
std::vector<std::string> log_lines;

// `request` is passed explicitly (the truth the check compares with); the
// trace id and tenant come from the current OpenTelemetry context.
void log(char const* process, int request, std::string_view what)
{
    auto ctx = otel::context::RuntimeContext::GetCurrent();
    std::string tenant;
    otel::baggage::GetBaggage(ctx)->GetValue("tenant", tenant);
    std::ostringstream line;
    line << "trace=" << hex(otel::trace::GetSpan(ctx)->GetContext().trace_id()) << " tenant=" << tenant
         << " process=" << process << " request=" << request << " " << what;
    std::lock_guard<std::mutex> lock(log_mutex);
    log_lines.push_back(line.str());
}

// A pause, then a hop: the coroutine may resume on the other thread.
awaitable<void> let_others_run()
{
    asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
    co_await t.async_wait(use_awaitable);
    co_await asio::post(co_await asio::this_coro::executor, use_awaitable);
}

// ---- HTTP plumbing ---------------------------------------------------------------

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

awaitable<response> call(std::uint16_t port, request req)
{
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(10s);
    co_await stream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), use_awaitable);
    req.prepare_payload();
    co_await http::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    response res;
    co_await http::async_read(stream, buffer, res, use_awaitable);
    co_return res;
}

template<class Handler>
awaitable<void> serve_connection(tcp::socket socket, Handler handler)
{
    beast::tcp_stream stream(std::move(socket));
    stream.expires_after(10s);
    beast::flat_buffer buffer;
    request req;
    co_await http::async_read(stream, buffer, req, use_awaitable);
    response res = co_await handler(req);
    res.prepare_payload();
    co_await http::async_write(stream, res, use_awaitable);
    stream.socket().shutdown(tcp::socket::shutdown_send);
}

// Accepts until `stop` is set; each connection is a coroutine of its own,
// so each request has its own context.
template<class Handler>
awaitable<void> accept_loop(tcp::acceptor& acceptor, Handler handler, std::atomic<bool>& stop)
{
    auto ex = co_await asio::this_coro::executor;
    while(!stop)
    {
        auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(use_awaitable));
        if(ec)
        {
            break;
        }
        asio::co_spawn(ex, serve_connection(std::move(socket), handler), asio::detached);
    }
}

std::atomic<bool> stopping{false};
std::atomic<int> server_failures{0};

// ---- the downstream service --------------------------------------------------------

awaitable<response> downstream_handle(request& req)
{
    response res(http::status::ok, req.version());
    if(req.target() == "/quit")
    {
        stopping = true;
        co_return res;
    }
    int n = std::stoi(std::string(req["x-request"]));
    auto token = otel::context::RuntimeContext::Attach(extract_with_server_span(req.base()));
    log("downstream", n, "received");
    co_await let_others_run();
    log("downstream", n, "querying");
    co_await let_others_run();
    log("downstream", n, "queried");
    co_await let_others_run();
    log("downstream", n, "responding");
    res.body() = "ok";
    co_return res;
}

int run_downstream()
{
    asio::thread_pool pool(2);
    executor ex(pool);
    tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    std::cout << "PORT " << acceptor.local_endpoint().port() << std::endl;
    auto handler = [](request& req) -> awaitable<response> {
        // The /quit request stops the accept loop from outside it.
        co_return co_await downstream_handle(req);
    };
    asio::co_spawn(ex, accept_loop(acceptor, handler, stopping), asio::detached);
    // The accept loop ends at the first accept after /quit; wake it.
    for(int i = 0; i < 6000 && !stopping; ++i)
    {
        std::this_thread::sleep_for(10ms);
    }
    asio::post(ex, [&] { acceptor.close(); });
    pool.join();
    // Printed at the end only: a pipe the parent does not read yet could fill up.
    for(auto const& l: log_lines)
    {
        std::cout << l << '\n';
    }
    return 0;
}

// ---- the frontend ---------------------------------------------------------------

std::uint16_t downstream_port = 0;

awaitable<response> frontend_handle(request& req)
{
    int n = std::stoi(std::string(req["x-request"]));
    auto token = otel::context::RuntimeContext::Attach(extract_with_server_span(req.base()));
    log("frontend", n, "received");
    co_await let_others_run();

    request down(http::verb::get, "/inventory", 11);
    down.set("x-request", std::to_string(n)); // for the check only
    fields_carrier carrier(down.base());
    auto current = otel::context::RuntimeContext::GetCurrent();
    otel::trace::propagation::HttpTraceContext().Inject(carrier, current);
    otel::baggage::propagation::BaggagePropagator().Inject(carrier, current);
    log("frontend", n, "calling downstream");
    response down_res = co_await call(downstream_port, std::move(down));
    log("frontend", n, "downstream answered " + down_res.body());
    co_await let_others_run();
    log("frontend", n, "responding");

    response res(http::status::ok, req.version());
    res.body() = hex(otel::trace::GetSpan(otel::context::RuntimeContext::GetCurrent())->GetContext().trace_id());
    co_return res;
}

// ---- the client and the check ------------------------------------------------------

struct sent
{
    std::string trace_id;
    std::string tenant;
};

std::map<int, sent> requests_sent; // filled before the client starts
std::atomic<int> client_failures{0};

awaitable<void> client_worker(std::uint16_t port, std::atomic<int>& next)
{
    for(int n = next++; n < total_requests; n = next++)
    {
        sent const& s = requests_sent.at(n);
        request req(http::verb::get, "/order", 11);
        req.set("x-request", std::to_string(n));
        req.set("traceparent", "00-" + s.trace_id + "-" + std::string(16, 'a') + "-01");
        req.set("baggage", "tenant=" + s.tenant);
        try
        {
            response res = co_await call(port, std::move(req));
            if(res.result() != http::status::ok || res.body() != s.trace_id)
            {
                ++client_failures;
            }
        }
        catch(std::exception const&)
        {
            ++client_failures;
        }
    }
}

// Lines with the wrong trace id or tenant for the request they name.
int count_wrong(std::vector<std::string> const& lines)
{
    int wrong = 0;
    for(auto const& l: lines)
    {
        std::istringstream in(l);
        std::string trace, tenant, process, request;
        in >> trace >> tenant >> process >> request;
        int n = request.rfind("request=", 0) == 0 ? std::atoi(request.c_str() + 8) : -1;
        auto it = requests_sent.find(n);
        if(it == requests_sent.end() || trace != "trace=" + it->second.trace_id ||
           tenant != "tenant=" + it->second.tenant)
        {
            ++wrong;
        }
    }
    return wrong;
}

int run_frontend(std::string const& self, bool default_storage)
{
    // The downstream process: this program again. Its stdout is a pipe.
    std::string command = "'" + self + "' downstream" + (default_storage ? " --default-storage" : "");
    FILE* child = ::popen(command.c_str(), "r");
    if(child == nullptr)
    {
        std::cerr << "cannot start the downstream process\n";
        return 1;
    }
    char buf[4096];
    if(std::fgets(buf, sizeof buf, child) == nullptr || std::sscanf(buf, "PORT %hu", &downstream_port) != 1)
    {
        std::cerr << "the downstream process did not start\n";
        ::pclose(child);
        return 1;
    }

    for(int n = 0; n < total_requests; ++n)
    {
        auto id = random_bytes<16>();
        requests_sent[n] = {hex(otel::trace::TraceId(otel::nostd::span<std::uint8_t const, 16>(id.data(), 16))), "tenant-" + std::to_string(n % 7)};
    }

    asio::thread_pool pool(2);
    executor ex(pool);
    tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    std::atomic<bool> frontend_stop{false};
    asio::co_spawn(ex, accept_loop(acceptor, [](request& req) { return frontend_handle(req); }, frontend_stop),
        asio::detached);

    // The client: its own single thread, 20 workers.
    {
        asio::io_context client;
        std::atomic<int> next{0};
        for(int i = 0; i < in_flight; ++i)
        {
            asio::co_spawn(client, client_worker(acceptor.local_endpoint().port(), next), asio::detached);
        }
        client.run_for(120s);
        asio::co_spawn(client, call(downstream_port, request(http::verb::get, "/quit", 11)), asio::detached);
        client.restart();
        client.run_for(10s);
    }
    asio::post(ex, [&] { acceptor.close(); });
    pool.join();

    // The downstream's log lines, then its exit.
    std::vector<std::string> downstream_lines;
    for(int i = 0; i < 100000 && std::fgets(buf, sizeof buf, child) != nullptr; ++i)
    {
        std::string l(buf);
        if(!l.empty() && l.back() == '\n')
        {
            l.pop_back();
        }
        downstream_lines.push_back(l);
    }
    int child_status = ::pclose(child);

    int wrong = count_wrong(log_lines) + count_wrong(downstream_lines);
    std::size_t lines = log_lines.size() + downstream_lines.size();
    std::cout << total_requests << " requests, 2 processes, " << lines << " log lines, " << wrong
              << " with the wrong trace id\n";
    for(std::size_t i = 0; i < 3 && i < log_lines.size(); ++i)
    {
        std::cout << "  e.g. " << log_lines[i] << '\n';
    }
    for(std::size_t i = 0; i < 3 && i < downstream_lines.size(); ++i)
    {
        std::cout << "  e.g. " << downstream_lines[i] << '\n';
    }
    bool ok = wrong == 0 && client_failures == 0 && lines == std::size_t(total_requests) * 8 && child_status == 0;
    if(!ok)
    {
        std::cout << "FAILED: " << client_failures << " failed requests, child status " << child_status << '\n';
    }
    return ok ? 0 : 1;
}

int main(int argc, char** argv)
{
    bool downstream = argc > 1 && std::string_view(argv[1]) == "downstream";
    bool default_storage = false;
    for(int i = 1; i < argc; ++i)
    {
        default_storage = default_storage || std::string_view(argv[i]) == "--default-storage";
    }
    if(!default_storage)
    {
        // tag::install[]
        boost::contextvars::otel::install(); // before any span is made current
        // end::install[]
    }
    try
    {
        if(downstream)
        {
            return run_downstream();
        }
        char self[4096];
        ssize_t len = ::readlink("/proc/self/exe", self, sizeof self - 1);
        std::string path = len > 0 ? std::string(self, std::size_t(len)) : std::string(argv[0]);
        return run_frontend(path, default_storage);
    }
    catch(std::exception const& e)
    {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
