// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The differential test's programs (README.md describes their language): the
// parser, the statements that core and asyncio programs share, executed with
// the library, and the glue that lets one Boost.Test executable be both the
// test (it runs run.py) and the interpreter that run.py starts. oracle.py is
// the same thing over CPython's contextvars, and prints the same trace.

#ifndef BOOST_CONTEXTVARS_TEST_DIFFERENTIAL_PROGRAM_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_DIFFERENTIAL_PROGRAM_HPP_INCLUDED

#include <boost/contextvars/bind_context.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/errors.hpp>
#include <boost/contextvars/scoped_set.hpp>
#include <boost/contextvars/token.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace differential {

namespace cv = boost::contextvars;

struct node
{
    int line = 0;
    int end_line = 0;
    std::string op;
    std::vector<std::string> args;
    std::vector<node> body;
};

struct var_decl
{
    std::string name;
    bool has_default = false;
    int default_value = 0;
};

struct program
{
    std::vector<std::string> header;
    std::vector<var_decl> vars;
    std::vector<node> body;
};

inline bool is_block(std::string const& op)
{
    return op == "run" || op == "bind" || op == "bindctx" || op == "scoped" || op == "try" || op == "spawn" ||
        op == "soon" || op == "sub";
}

inline std::vector<std::string> words(std::string const& line)
{
    std::istringstream in(line);
    std::vector<std::string> r;
    for(std::string w; in >> w;)
    {
        r.push_back(w);
    }
    return r;
}

inline program parse(std::string const& text)
{
    std::vector<std::string> lines;
    {
        std::istringstream in(text);
        for(std::string l; std::getline(in, l);)
        {
            lines.push_back(l);
        }
    }
    program p;
    if(!lines.empty())
    {
        p.header = words(lines[0]);
    }
    std::vector<std::vector<node>*> stack{&p.body};
    std::vector<node*> open;
    for(std::size_t i = 1; i < lines.size(); ++i)
    {
        int const line = static_cast<int>(i) + 1;
        std::vector<std::string> w = words(lines[i]);
        if(w.empty())
        {
            continue;
        }
        if(w[0] == "var")
        {
            var_decl d{w[1]};
            if(w.size() > 3)
            {
                d.has_default = true;
                d.default_value = std::stoi(w[3]);
            }
            p.vars.push_back(d);
            continue;
        }
        if(w[0] == "end")
        {
            if(!open.empty())
            {
                open.back()->end_line = line;
                open.pop_back();
                stack.pop_back();
            }
            continue;
        }
        node n;
        n.line = line;
        n.op = w[0];
        n.args.assign(w.begin() + 1, w.end());
        stack.back()->push_back(std::move(n));
        if(is_block(stack.back()->back().op))
        {
            node* b = &stack.back()->back();
            open.push_back(b);
            stack.push_back(&b->body);
        }
    }
    for(node* b: open)
    {
        b->end_line = static_cast<int>(lines.size()) + 1;
    }
    return p;
}

// The output of one interpreter run: lines, from any thread.
class trace
{
public:
    void add(std::string const& channel, int line, std::string const& text)
    {
        std::lock_guard<std::mutex> lock(m_);
        lines_.push_back((channel.empty() ? "" : channel + " ") + std::to_string(line) + ": " + text);
    }

    void raw(std::string const& text)
    {
        std::lock_guard<std::mutex> lock(m_);
        lines_.push_back(text);
    }

    std::vector<std::string> const& lines() const
    {
        return lines_;
    }

private:
    std::mutex m_;
    std::vector<std::string> lines_;
};

struct boom
{
};

struct step_limit
{
};

struct undefined
{
};

constexpr int max_steps = 20000;

// The state of one program and the statements that need no block.
class state
{
public:
    using out_fn = std::function<void(int, std::string const&)>;

    explicit state(std::vector<var_decl> const& decls)
    {
        for(var_decl const& d: decls)
        {
            vars_.emplace(d.name, d.has_default ? std::make_unique<cv::context_var<int>>(d.name, d.default_value)
                                                : std::make_unique<cv::context_var<int>>(d.name));
        }
    }

    ~state()
    {
        // Tokens, binders and contexts go before the variables.
        tokens_.clear();
        binders_.clear();
        ctxs_.clear();
    }

    cv::context_var<int> const& var(std::string const& name) const
    {
        auto it = vars_.find(name);
        if(it == vars_.end())
        {
            throw undefined();
        }
        return *it->second;
    }

    template<class T>
    static T find(std::map<std::string, T> const& table, std::string const& name, std::mutex& m)
    {
        std::lock_guard<std::mutex> lock(m);
        auto it = table.find(name);
        if(it == table.end())
        {
            throw undefined();
        }
        return it->second;
    }

    std::shared_ptr<cv::token<int>> token(std::string const& name)
    {
        return find(tokens_, name, m_);
    }

    std::shared_ptr<cv::context> ctx(std::string const& name)
    {
        return find(ctxs_, name, m_);
    }

    std::shared_ptr<std::function<void()>> binder(std::string const& name)
    {
        return find(binders_, name, m_);
    }

    void put_token(std::string const& name, std::shared_ptr<cv::token<int>> t)
    {
        std::lock_guard<std::mutex> lock(m_);
        tokens_[name] = std::move(t);
    }

    void erase_token(std::string const& name, cv::token<int> const* t)
    {
        std::lock_guard<std::mutex> lock(m_);
        auto it = tokens_.find(name);
        if(it != tokens_.end() && it->second.get() == t)
        {
            tokens_.erase(it);
        }
    }

    void put_ctx(std::string const& name, std::shared_ptr<cv::context> c)
    {
        std::lock_guard<std::mutex> lock(m_);
        ctxs_[name] = std::move(c);
    }

    void put_binder(std::string const& name, std::function<void()> f)
    {
        std::lock_guard<std::mutex> lock(m_);
        binders_[name] = std::make_shared<std::function<void()>>(std::move(f));
    }

    void step()
    {
        if(++steps_ > max_steps)
        {
            throw step_limit();
        }
    }

    // A context's entries, by variable name: "{v0: 1, v2: 5}".
    std::string items(cv::context const& c) const
    {
        std::vector<std::pair<std::string, int>> kv;
        for(cv::context::entry const& e: c)
        {
            for(auto const& v: vars_)
            {
                if(int const* p = e.get(*v.second))
                {
                    kv.emplace_back(v.first, *p);
                }
            }
        }
        std::sort(kv.begin(), kv.end());
        std::string r = "{";
        for(std::size_t i = 0; i < kv.size(); ++i)
        {
            r += (i ? ", " : "") + kv[i].first + ": " + std::to_string(kv[i].second);
        }
        return r + "}";
    }

    static std::string classify(cv::token_error const& e)
    {
        std::string const what = e.what();
        if(what.find("already been used") != std::string::npos)
        {
            return "error used";
        }
        if(what.find("created by context_var") != std::string::npos)
        {
            return "error var";
        }
        if(what.find("different context") != std::string::npos)
        {
            return "error context";
        }
        return "error other: " + what;
    }

    // Executes `n` if it is a statement without a block; false otherwise.
    bool stmt(node const& n, out_fn const& out)
    {
        step();
        auto const& a = n.args;
        int const L = n.line;
        try
        {
            if(n.op == "set")
            {
                put_token(a.at(2), std::make_shared<cv::token<int>>(var(a.at(0)).set(std::stoi(a.at(1)))));
                out(L, "ok");
            }
            else if(n.op == "reset")
            {
                auto const& v = var(a.at(0));
                auto t = token(a.at(1));
                try
                {
                    v.reset(*t);
                    out(L, "ok");
                }
                catch(cv::token_error const& e)
                {
                    out(L, classify(e));
                }
            }
            else if(n.op == "get")
            {
                auto const& v = var(a.at(0));
                try
                {
                    out(L, std::to_string(v.get()));
                }
                catch(cv::lookup_error const&)
                {
                    out(L, "error lookup");
                }
            }
            else if(n.op == "getd")
            {
                out(L, std::to_string(var(a.at(0)).get(std::stoi(a.at(1)))));
            }
            else if(n.op == "cur")
            {
                out(L, items(cv::copy_context()));
            }
            else if(n.op == "tokvar")
            {
                out(L, std::string(token(a.at(0))->var().name()));
            }
            else if(n.op == "tokold")
            {
                int const* old = token(a.at(0))->old_value();
                out(L, old ? std::to_string(*old) : "MISSING");
            }
            else if(n.op == "new")
            {
                put_ctx(a.at(0), std::make_shared<cv::context>());
                out(L, "ok");
            }
            else if(n.op == "copy")
            {
                put_ctx(a.at(0), std::make_shared<cv::context>(cv::copy_context()));
                out(L, "ok");
            }
            else if(n.op == "ctxcopy")
            {
                auto c = ctx(a.at(0));
                put_ctx(a.at(1), std::make_shared<cv::context>(*c));
                out(L, "ok");
            }
            else if(n.op == "len")
            {
                out(L, std::to_string(ctx(a.at(0))->size()));
            }
            else if(n.op == "contains")
            {
                auto c = ctx(a.at(0));
                out(L, c->contains(var(a.at(1))) ? "true" : "false");
            }
            else if(n.op == "cget" || n.op == "cidx")
            {
                auto c = ctx(a.at(0));
                int const* p = c->get(var(a.at(1)));
                out(L, p ? std::to_string(*p) : n.op == "cget" ? "none" : "error key");
            }
            else if(n.op == "items")
            {
                out(L, items(*ctx(a.at(0))));
            }
            else
            {
                return false;
            }
        }
        catch(undefined const&)
        {
            out(L, "undefined");
        }
        return true;
    }

private:
    std::mutex m_;
    std::map<std::string, std::unique_ptr<cv::context_var<int>>> vars_;
    std::map<std::string, std::shared_ptr<cv::token<int>>> tokens_;
    std::map<std::string, std::shared_ptr<cv::context>> ctxs_;
    std::map<std::string, std::shared_ptr<std::function<void()>>> binders_;
    std::atomic<int> steps_{0};
};

// Splits a file of programs separated by "===" lines.
inline std::vector<std::string> split_programs(std::string const& text)
{
    std::vector<std::string> r;
    std::string cur;
    std::istringstream in(text);
    for(std::string l; std::getline(in, l);)
    {
        if(l == "===")
        {
            r.push_back(cur);
            cur.clear();
        }
        else
        {
            cur += l + "\n";
        }
    }
    if(cur.find_first_not_of(" \n") != std::string::npos)
    {
        r.push_back(cur);
    }
    return r;
}

// One executable is both the test and the interpreter. Started by run.py with
// BOOST_CONTEXTVARS_DIFFERENTIAL_IN/OUT set, it interprets the programs in IN
// (with `run_one`, which returns a program's trace) and writes the traces to
// OUT. Otherwise it runs run.py with `driver_args` and itself as interpreter,
// and the test passes if run.py finds no difference.
template<class RunOne>
void interpret_or_drive(RunOne run_one, std::string const& source_file, std::string const& driver_args)
{
    char const* in = std::getenv("BOOST_CONTEXTVARS_DIFFERENTIAL_IN");
    char const* outp = std::getenv("BOOST_CONTEXTVARS_DIFFERENTIAL_OUT");
    if(in != nullptr && outp != nullptr)
    {
        std::ifstream f(in);
        std::stringstream ss;
        ss << f.rdbuf();
        std::ofstream out(outp);
        for(std::string const& text: split_programs(ss.str()))
        {
            for(std::string const& l: run_one(text))
            {
                out << l << '\n';
            }
            out << "===\n";
        }
        return;
    }
    std::string dir = source_file.substr(0, source_file.find_last_of('/') + 1);
    std::string const script = dir + "run.py";
    BOOST_TEST_REQUIRE(access(script.c_str(), R_OK) == 0, "run.py not found at " << script);
    char self[4096] = {};
    ssize_t const n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    BOOST_TEST_REQUIRE(n > 0);
    char const* python = std::getenv("PYTHON");
    std::string const cmd = std::string(python ? python : "python3") + " " + script + " --interpreter " + self +
        " " + driver_args;
    BOOST_TEST_MESSAGE(cmd);
    int const rc = std::system(cmd.c_str());
    BOOST_TEST(rc == 0, "run.py found differences (or failed): exit status " << rc);
}

} // namespace differential

#endif // BOOST_CONTEXTVARS_TEST_DIFFERENTIAL_PROGRAM_HPP_INCLUDED
