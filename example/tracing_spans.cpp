// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tracing spans (C++20 coroutines): the current span lives in a context
// variable as a persistent list, each span node pointing at its parent. Opening
// a child span is one allocation and one set(); closing it puts the parent
// back. Nobody passes a span around.
//
// Two requests run at once on an io_context served by two threads, through a
// context_executor. Each opens spans for nested steps (awaited coroutines) and
// for two children co_spawned to run in parallel: a co_spawned coroutine
// starts in a copy of its spawner's context, so its spans hang under the span
// that was current at co_spawn, whatever thread it runs on.
//
// The program prints the spans as a tree (siblings sorted by name), and exits
// 0 only if the tree is exactly the expected one, nothing failed, and no span
// was left current after its request.

#include <boost/asio.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;

// ---- spans ----------------------------------------------------------------------

struct span_node
{
    int id;
    std::string name;
    std::shared_ptr<span_node const> parent;
};

cv::context_var<std::shared_ptr<span_node const>> current_span("current_span");

struct span_record
{
    int id;
    int parent; // 0 for a root span
    std::string name;
};

std::mutex trace_mutex;
std::vector<span_record> trace;

// Opens a child of the current span (a root span if there is none) and makes
// it current until destroyed.
class span
{
public:
    explicit span(std::string name): guard_(current_span, make_node(std::move(name))) {}

private:
    static std::shared_ptr<span_node const> make_node(std::string name)
    {
        static std::atomic<int> next_id{1};
        auto parent = current_span.get(nullptr);
        auto node = std::make_shared<span_node const>(span_node{next_id++, std::move(name), parent});
        std::lock_guard<std::mutex> lock(trace_mutex);
        trace.push_back({node->id, parent ? parent->id : 0, node->name});
        return node;
    }

    cv::scoped_set<std::shared_ptr<span_node const>> guard_;
};

// ---- the traced application: no function receives a span ----------------------

// Lets the other request run: a short timer, then a post that may resume this
// coroutine on the other thread.
awaitable<void> let_others_run()
{
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex, std::chrono::milliseconds(1));
    co_await timer.async_wait(use_awaitable);
    co_await asio::post(ex, use_awaitable);
}

awaitable<void> db_query(std::string table)
{
    span s("db.query " + table);
    co_await let_others_run();
}

awaitable<void> fetch(std::string what, int order)
{
    span s("fetch " + what + " " + std::to_string(order));
    co_await let_others_run();
    co_await db_query(what);
}

awaitable<void> load_order(int order)
{
    span s("load order");
    co_await db_query("orders");

    // Two co_spawned children, run in parallel: each starts in a copy of
    // this context, in which "load order" is the current span.
    auto ex = co_await asio::this_coro::executor;
    auto [completion_order, e1, e2] =
        co_await asio::experimental::make_parallel_group(asio::co_spawn(ex, fetch("customer", order), asio::deferred),
                                                         asio::co_spawn(ex, fetch("items", order), asio::deferred))
            .async_wait(asio::experimental::wait_for_all(), use_awaitable);
    for(std::exception_ptr const& e: {e1, e2})
    {
        if(e)
        {
            std::rethrow_exception(e);
        }
    }
}

std::atomic<int> failures{0};

awaitable<void> handle_request(int order)
{
    {
        span s("GET /orders/" + std::to_string(order));
        co_await let_others_run();
        co_await db_query("sessions"); // authentication
        co_await load_order(order);
        co_await let_others_run();
    }
    if(current_span.get(nullptr) != nullptr)
    {
        ++failures; // the request's span should be closed now
    }
}

// ---- printing the trace -------------------------------------------------------------

void print_children(std::string& out, int parent, std::string const& indent)
{
    std::vector<span_record const*> children;
    for(span_record const& r: trace)
    {
        if(r.parent == parent)
        {
            children.push_back(&r);
        }
    }
    std::sort(children.begin(), children.end(), [](auto a, auto b) { return a->name < b->name; });
    for(std::size_t i = 0; i < children.size(); ++i)
    {
        bool last = i + 1 == children.size();
        out += indent + (parent == 0 ? "" : last ? "└── " : "├── ") + children[i]->name + "\n";
        print_children(out, children[i]->id, parent == 0 ? "" : indent + (last ? "    " : "│   "));
    }
}

char const expected[] = R"(GET /orders/7
├── db.query sessions
└── load order
    ├── db.query orders
    ├── fetch customer 7
    │   └── db.query customer
    └── fetch items 7
        └── db.query items
GET /orders/8
├── db.query sessions
└── load order
    ├── db.query orders
    ├── fetch customer 8
    │   └── db.query customer
    └── fetch items 8
        └── db.query items
)";

int main()
{
    asio::io_context ioc;
    cv::context_executor ex(ioc);
    auto report = [](std::exception_ptr e) {
        if(e)
        {
            ++failures;
        }
    };
    asio::co_spawn(ex, handle_request(7), report);
    asio::co_spawn(ex, handle_request(8), report);

    // Two threads; both return when all the work is done (or after 4 s).
    std::thread second([&] { ioc.run_for(std::chrono::seconds(4)); });
    ioc.run_for(std::chrono::seconds(4));
    second.join();

    std::string tree;
    print_children(tree, 0, "");
    std::cout << tree;

    bool passed = tree == expected && failures == 0;
    if(!passed)
    {
        std::cout << "FAILED: expected\n" << expected;
    }
    return passed ? 0 : 1;
}
