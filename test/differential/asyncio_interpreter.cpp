// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The differential test against CPython, asyncio part: random task trees
// (README.md) run here with co_spawn, post and co_await on a context_executor
// over an io_context with 2 threads, a thread_pool or a strand, and by
// oracle.py with asyncio (create_task, call_soon, await). run.py compares one
// trace per task or callback. This executable is both the test (it starts
// run.py) and the interpreter that run.py starts.

#include <boost/contextvars/asio.hpp>

#define BOOST_TEST_MODULE differential_asyncio
#include <boost/test/unit_test.hpp>

#include "program.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace differential;
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

template<class Executor>
class async_interpreter
{
public:
    async_interpreter(state& s, trace& t, Executor ex): s_(s), t_(t), ex_(ex) {}

    awaitable<void> root(std::vector<node> const& body)
    {
        co_await run_body(body, "main");
        while(pending_.load() > 0)
        {
            co_await sleep();
        }
        t_.add("main", 0, "done");
    }

private:
    state::out_fn channel(std::string name)
    {
        return [this, name](int line, std::string const& text) { t_.add(name, line, text); };
    }

    awaitable<void> sleep()
    {
        asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
        co_await timer.async_wait(use_awaitable);
    }

    awaitable<void> run_body(std::vector<node> const& body, std::string name)
    {
        state::out_fn out = channel(name);
        for(node const& n: body)
        {
            co_await run_node(n, name, out);
        }
    }

    awaitable<void> run_node(node const& n, std::string const& name, state::out_fn const& out)
    {
        if(s_.stmt(n, out))
        {
            co_return;
        }
        auto const& a = n.args;
        if(n.op == "yield")
        {
            co_await asio::post(co_await asio::this_coro::executor, use_awaitable);
            out(n.line, "ok");
        }
        else if(n.op == "sleep")
        {
            co_await sleep();
            out(n.line, "ok");
        }
        else if(n.op == "spawn")
        {
            ++pending_;
            auto done = std::make_shared<std::atomic<bool>>(false);
            {
                std::lock_guard<std::mutex> lock(m_);
                tasks_[a.at(0)] = done;
            }
            asio::co_spawn(ex_, child(n.body, a.at(0), done), asio::detached);
            out(n.line, "ok");
        }
        else if(n.op == "join")
        {
            std::shared_ptr<std::atomic<bool>> done;
            {
                std::lock_guard<std::mutex> lock(m_);
                auto it = tasks_.find(a.at(0));
                if(it != tasks_.end())
                {
                    done = it->second;
                }
            }
            if(!done)
            {
                out(n.line, "undefined");
                co_return;
            }
            while(!done->load())
            {
                co_await sleep();
            }
            out(n.line, "ok");
        }
        else if(n.op == "soon")
        {
            ++pending_;
            asio::post(ex_, [this, body = &n.body, cb = a.at(0)] {
                state::out_fn cb_out = channel(cb);
                for(node const& m: *body)
                {
                    s_.stmt(m, cb_out);
                }
                cb_out(0, "done");
                --pending_;
            });
            out(n.line, "ok");
        }
        else if(n.op == "sub")
        {
            co_await run_body(n.body, name);
            out(n.end_line, "end");
        }
        else if(n.op == "scoped")
        {
            cv::context_var<int> const* vp = nullptr;
            try
            {
                vp = &s_.var(a.at(0));
            }
            catch(undefined const&)
            {
                out(n.line, "undefined");
                co_return;
            }
            {
                cv::scoped_set g(*vp, std::stoi(a.at(1)));
                std::shared_ptr<cv::token<int>> t(std::shared_ptr<void>(), &g.get_token());
                s_.put_token(a.at(2), t);
                out(n.line, "ok");
                co_await run_body(n.body, name);
                s_.erase_token(a.at(2), t.get());
            }
            out(n.end_line, "end");
        }
        else
        {
            throw std::runtime_error("line " + std::to_string(n.line) + ": unknown statement " + n.op);
        }
    }

    awaitable<void> child(std::vector<node> const& body, std::string name, std::shared_ptr<std::atomic<bool>> done)
    {
        co_await run_body(body, name);
        t_.add(name, 0, "done");
        done->store(true);
        --pending_;
    }

    state& s_;
    trace& t_;
    Executor ex_;
    std::atomic<int> pending_{0};
    std::mutex m_;
    std::map<std::string, std::shared_ptr<std::atomic<bool>>> tasks_;
};

template<class Executor>
void run_tree(program const& p, trace& t, Executor ex)
{
    state s(p.vars);
    async_interpreter<Executor> interp(s, t, ex);
    std::promise<void> finished;
    auto f = finished.get_future();
    cv::context top;
    top.run([&] {
        asio::co_spawn(ex, interp.root(p.body), [&](std::exception_ptr e) {
            if(e)
            {
                finished.set_exception(e);
            }
            else
            {
                finished.set_value();
            }
        });
    });
    if(f.wait_for(std::chrono::seconds(60)) != std::future_status::ready)
    {
        t.raw("timeout");
        std::abort(); // the interpreter cannot be left running
    }
    f.get();
}

std::vector<std::string> run_asyncio(std::string const& text)
{
    program p = parse(text);
    trace t;
    std::string const kind = p.header.size() > 2 ? p.header[2] : "io2";
    if(kind == "pool")
    {
        asio::thread_pool pool(2);
        run_tree(p, t, cv::context_executor{pool.get_executor()});
        pool.join();
    }
    else
    {
        asio::io_context io(2);
        auto guard = asio::make_work_guard(io);
        std::vector<std::thread> threads;
        for(int i = 0; i < 2; ++i)
        {
            threads.emplace_back([&] { io.run(); });
        }
        if(kind == "strand")
        {
            run_tree(p, t, cv::context_executor{asio::make_strand(io)});
        }
        else
        {
            run_tree(p, t, cv::context_executor{io.get_executor()});
        }
        guard.reset();
        for(auto& th: threads)
        {
            th.join();
        }
    }
    return t.lines();
}

} // namespace

BOOST_AUTO_TEST_CASE(asyncio_task_trees_against_cpython)
{
    interpret_or_drive(run_asyncio, __FILE__, "--kind asyncio --programs 150 --seed 20261130");
}
