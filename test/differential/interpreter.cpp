// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The differential test against CPython, core part: random programs over the
// whole core API (README.md), run here with the library and by oracle.py with
// CPython's contextvars; run.py generates them, compares the traces line by
// line and shrinks a failing program. This executable is both the test (it
// starts run.py) and the interpreter that run.py starts.

#include <boost/contextvars/bind_context.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/scoped_set.hpp>

#define BOOST_TEST_MODULE differential
#include <boost/test/unit_test.hpp>

#include "program.hpp"

#include <string>
#include <vector>

namespace {

using namespace differential;

class core_interpreter
{
public:
    core_interpreter(state& s, trace& t): s_(s), out_([&t](int line, std::string const& text) {
        t.add("", line, text);
    })
    {
    }

    void block(std::vector<node> const& body)
    {
        for(node const& n: body)
        {
            exec(n);
        }
    }

private:
    void exec(node const& n)
    {
        if(s_.stmt(n, out_))
        {
            return;
        }
        auto const& a = n.args;
        if(n.op == "raise")
        {
            throw boom();
        }
        else if(n.op == "run")
        {
            std::shared_ptr<cv::context> c;
            try
            {
                c = s_.ctx(a.at(0));
            }
            catch(undefined const&)
            {
                out_(n.line, "undefined");
                return;
            }
            try
            {
                c->run([&] { block(n.body); });
            }
            catch(cv::context_error const&)
            {
                out_(n.line, "error entered");
                return;
            }
            out_(n.end_line, "end");
        }
        else if(n.op == "bind" || n.op == "bindctx")
        {
            std::vector<node> const* body = &n.body;
            auto f = [this, body] { block(*body); };
            if(n.op == "bind")
            {
                s_.put_binder(a.at(0), cv::bind_context(f));
            }
            else
            {
                std::shared_ptr<cv::context> c;
                try
                {
                    c = s_.ctx(a.at(1));
                }
                catch(undefined const&)
                {
                    out_(n.line, "undefined");
                    return;
                }
                s_.put_binder(a.at(0), cv::bind_context(*c, f));
            }
            out_(n.line, "ok");
        }
        else if(n.op == "call")
        {
            std::shared_ptr<std::function<void()>> f;
            try
            {
                f = s_.binder(a.at(0));
            }
            catch(undefined const&)
            {
                out_(n.line, "undefined");
                return;
            }
            (*f)();
            out_(n.line, "end");
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
                out_(n.line, "undefined");
                return;
            }
            auto const& v = *vp;
            {
                cv::scoped_set g(v, std::stoi(a.at(1)));
                // The guard's token, by name, for the block; not after it.
                std::shared_ptr<cv::token<int>> t(std::shared_ptr<void>(), &g.get_token());
                s_.put_token(a.at(2), t);
                out_(n.line, "ok");
                try
                {
                    block(n.body);
                }
                catch(...)
                {
                    s_.erase_token(a.at(2), t.get());
                    throw;
                }
                s_.erase_token(a.at(2), t.get());
            }
            out_(n.end_line, "end");
        }
        else if(n.op == "try")
        {
            try
            {
                block(n.body);
                out_(n.end_line, "end");
            }
            catch(boom const&)
            {
                out_(n.end_line, "caught");
            }
        }
        else
        {
            throw std::runtime_error("line " + std::to_string(n.line) + ": unknown statement " + n.op);
        }
    }

    state& s_;
    state::out_fn out_;
};

std::vector<std::string> run_core(std::string const& text)
{
    program p = parse(text);
    trace t;
    {
        state s(p.vars);
        core_interpreter interp(s, t);
        try
        {
            cv::context top;
            top.run([&] { interp.block(p.body); });
            t.raw("done");
        }
        catch(boom const&)
        {
            t.raw("uncaught");
        }
        catch(step_limit const&)
        {
            t.raw("limit");
        }
    }
    return t.lines();
}

} // namespace

BOOST_AUTO_TEST_CASE(core_programs_against_cpython)
{
    interpret_or_drive(run_core, __FILE__, "--kind core --programs 1000 --seed 20261130");
}
