// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The examples of the article "Context Variables (ContextVar) and Data
// Isolation in Asynchronous Programming in Python", one by one, in C++ (C++20
// coroutines for the asyncio ones, on a single-threaded io_context). Each
// section shows the Python code in a comment, then its C++ spelling. The
// program prints what the Python version prints, and exits 0 only if its
// output is exactly the Python output (python_output, at the end).
//
// The snippets are made complete: put together, the Python in the comments is
// one script, which prints python_output (checked with Python 3.11). Each
// section runs in a fresh, empty context, as the article's snippets are
// independent. The middleware's handle_request, which the article does not
// show, is written here, and a few lines print what a snippet implies (the
// value after a reset, get() with a fallback). The article says that section V
// prints [('var', 'main')]; Python prints [('var', 'worker')], since worker()
// sets the variable inside ctx and ctx is what is listed. The C++ prints what
// Python prints.

#include <boost/asio.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::awaitable;
using asio::use_awaitable;
using namespace std::chrono_literals;

std::string printed; // everything print() wrote, to compare with Python's

void print(std::string const& line)
{
    std::cout << line << '\n';
    printed += line + '\n';
}

// ---- the bits of asyncio the examples use ----------------------------------------

namespace asyncio {

// asyncio.run(main): an event loop on this thread; main runs as a task, in a
// copy of the current context, and the loop runs until it is done.
void run(awaitable<void> main)
{
    asio::io_context loop;
    std::exception_ptr error;
    asio::co_spawn(cv::context_executor(loop), std::move(main), [&](std::exception_ptr e) { error = e; });
    loop.run();
    if(error)
    {
        std::rethrow_exception(error);
    }
}

// asyncio.sleep(d)
awaitable<void> sleep(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(use_awaitable);
}

// asyncio.gather(*tasks): each runs as its own task (co_spawn: in its own copy
// of the context), concurrently, and all of them are awaited.
awaitable<void> gather(std::vector<awaitable<void>> tasks)
{
    auto ex = co_await asio::this_coro::executor;
    std::vector<decltype(asio::co_spawn(ex, std::move(tasks[0]), asio::deferred))> ops;
    for(awaitable<void>& task: tasks)
    {
        ops.push_back(asio::co_spawn(ex, std::move(task), asio::deferred));
    }
    auto [order, errors] = co_await asio::experimental::make_parallel_group(std::move(ops))
                               .async_wait(asio::experimental::wait_for_all(), use_awaitable);
    for(std::exception_ptr const& e: errors)
    {
        if(e)
        {
            std::rethrow_exception(e);
        }
    }
}

} // namespace asyncio

struct request // the article's request objects
{
    int user_id;
};

// ---- II. Basic usage --------------------------------------------------------------
//
//   import asyncio
//   import contextvars
//
//   user_id = contextvars.ContextVar('user_id')
//   current_request = contextvars.ContextVar('current_request')
//
//   def section_2():
//       print("== II. Setting and getting values")
//       token = user_id.set(123)
//       try:
//           print(user_id.get())  # Output: 123
//       finally:
//           user_id.reset(token)  # Restore the previous state
//       print(user_id.get("no value"))

namespace section_2 {

cv::context_var<int> user_id("user_id");
cv::context_var<request> current_request("current_request");

void run()
{
    print("== II. Setting and getting values");
    cv::token<int> token = user_id.set(123); // to restore the previous state
    try                                      // (cv::scoped_set does this: section VI)
    {
        print(std::to_string(user_id.get())); // 123
    }
    catch(...)
    {
        user_id.reset(token);
        throw;
    }
    user_id.reset(token);
    int const* value = user_id.try_get();
    print(value ? std::to_string(*value) : "no value");
}

} // namespace section_2

// ---- III. Behavior in synchronous code ------------------------------------------------
//
//   var = contextvars.ContextVar('var')
//
//   def task1():
//       var.set('task1')
//       print(f"Task1: {var.get()}")  # Output: task1
//
//   def task2():
//       var.set('task2')
//       print(f"Task2: {var.get()}")  # Output: task2
//
//   def section_3():
//       print("== III. Synchronous code")
//       task1()
//       task2()

namespace section_3 {

cv::context_var<std::string> var("var");

void task1()
{
    var.set("task1");
    print("Task1: " + var.get());
}

void task2()
{
    var.set("task2");
    print("Task2: " + var.get());
}

void run()
{
    print("== III. Synchronous code");
    task1();
    task2();
}

} // namespace section_3

// ---- IV. Data isolation for asynchronous tasks ------------------------------------
//
//   request_id = contextvars.ContextVar('request_id')
//
//   async def process_request(id):
//       request_id.set(id)
//       await asyncio.sleep(0.1)  # Simulate I/O operation
//       print(f"Request {request_id.get()} processed")
//
//   async def section_4():
//       print("== IV. Asynchronous tasks")
//       tasks = [process_request(i) for i in range(3)]
//       await asyncio.gather(*tasks)
//       # Output: Request 0 processed
//       #         Request 1 processed
//       #         Request 2 processed

namespace section_4 {

cv::context_var<int> request_id("request_id");

awaitable<void> process_request(int id)
{
    request_id.set(id);
    co_await asyncio::sleep(100ms);
    print("Request " + std::to_string(request_id.get()) + " processed");
}

awaitable<void> main()
{
    print("== IV. Asynchronous tasks");
    std::vector<awaitable<void>> tasks;
    for(int i = 0; i < 3; ++i)
    {
        tasks.push_back(process_request(i));
    }
    co_await asyncio::gather(std::move(tasks));
}

} // namespace section_4

// ---- V. Context copying and propagation -------------------------------------------
//
//   def section_5():
//       print("== V. copy_context and run")
//       ctx = contextvars.copy_context()
//       def get_context_values():
//           return [(v.name, value) for v, value in ctx.items()]
//       var = contextvars.ContextVar('var')
//       var.set('main')
//       def worker():
//           var.set('worker')
//           return get_context_values()
//       result = ctx.run(worker)
//       print(result)     # Output: [('var', 'worker')]
//       print(var.get())  # Output: main

namespace section_5 {

void run()
{
    print("== V. copy_context and run");
    cv::context ctx = cv::copy_context();
    cv::context_var<std::string> var("var");
    auto get_context_values = [&] {
        std::string list = "[";
        for(cv::context::entry const& e: ctx)
        {
            list += (list.size() > 1 ? ", ('" : "('") + std::string(e.name()) + "', '" + *e.get(var) + "')";
        }
        return list + "]";
    };
    var.set("main");
    auto worker = [&] {
        var.set("worker");
        return get_context_values();
    };
    std::string result = ctx.run(worker);
    print(result);
    print(var.get());
}

} // namespace section_5

// ---- VI. Integration with asyncio: a middleware -------------------------------------
//
//   class Request:
//       def __init__(self, user_id):
//           self.user_id = user_id
//
//   async def handle_request(request):
//       await asyncio.sleep(0.01)
//       return f"Hello, user {user_id.get()}"
//
//   async def middleware(request):
//       # Set context variables at the beginning of a request
//       token = user_id.set(request.user_id)
//       try:
//           response = await handle_request(request)
//           return response
//       finally:
//           user_id.reset(token)
//
//   async def section_6():
//       print("== VI. Middleware")
//       print(await middleware(Request(42)))  # Output: Hello, user 42
//       print(user_id.get("no value"))        # Output: no value

namespace section_6 {

using section_2::user_id;

awaitable<std::string> handle_request(request)
{
    co_await asyncio::sleep(10ms);
    co_return "Hello, user " + std::to_string(user_id.get());
}

awaitable<std::string> middleware(request req)
{
    // set() now, reset(token) when leaving the scope however it is left: the
    // try/finally of the Python. It holds across the co_await, since a
    // coroutine keeps its context from one suspension to the next.
    cv::scoped_set guard(user_id, req.user_id);
    co_return co_await handle_request(req);
}

awaitable<void> main()
{
    print("== VI. Middleware");
    print(co_await middleware(request{42}));
    int const* value = user_id.try_get();
    print(value ? std::to_string(*value) : "no value");
}

} // namespace section_6

// ---- VII. Defaults ------------------------------------------------------------------
//
//   config = contextvars.ContextVar('config', default={'debug': False})
//
//   def section_7():
//       print("== VII. Defaults")
//       print(config.get())                  # Output: {'debug': False}
//       print(config.get({'debug': True}))   # Output: {'debug': True}
//       try:
//           current_request.get()            # no value, no default
//       except LookupError:
//           print("LookupError")

namespace section_7 {

using settings = std::map<std::string, bool>;

cv::context_var<settings> config("config", settings{{"debug", false}});

std::string repr(settings const& s) // Python's repr of a dict of bools
{
    std::string r = "{";
    for(auto const& [key, value]: s)
    {
        r += (r.size() > 1 ? ", '" : "'") + key + "': " + (value ? "True" : "False");
    }
    return r + "}";
}

void run()
{
    print("== VII. Defaults");
    print(repr(config.get()));
    print(repr(config.get(settings{{"debug", true}})));
    try
    {
        section_2::current_request.get();
    }
    catch(cv::lookup_error const&)
    {
        print("LookupError");
    }
}

} // namespace section_7

// ---- all of it ------------------------------------------------------------------------
//
//   contextvars.Context().run(section_2)
//   contextvars.Context().run(section_3)
//   contextvars.Context().run(asyncio.run, section_4())
//   contextvars.Context().run(section_5)
//   contextvars.Context().run(asyncio.run, section_6())
//   contextvars.Context().run(section_7)

char const python_output[] = R"(== II. Setting and getting values
123
no value
== III. Synchronous code
Task1: task1
Task2: task2
== IV. Asynchronous tasks
Request 0 processed
Request 1 processed
Request 2 processed
== V. copy_context and run
[('var', 'worker')]
main
== VI. Middleware
Hello, user 42
no value
== VII. Defaults
{'debug': False}
{'debug': True}
LookupError
)";

int main()
{
    cv::context().run(section_2::run);
    cv::context().run(section_3::run);
    cv::context().run(asyncio::run, section_4::main());
    cv::context().run(section_5::run);
    cv::context().run(asyncio::run, section_6::main());
    cv::context().run(section_7::run);

    if(printed != python_output)
    {
        std::cout << "FAILED: the Python version prints\n" << python_output;
        return 1;
    }
    std::cout << "(the same output as the Python version)\n";
    return 0;
}
