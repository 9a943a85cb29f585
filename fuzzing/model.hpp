#ifndef BOOST_CONTEXTVARS_FUZZING_MODEL_HPP_INCLUDED
#define BOOST_CONTEXTVARS_FUZZING_MODEL_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A byte-code interpreter that drives Boost.ContextVars and a plain model of
// it (a std::map per context, a stack of entered contexts) side by side and
// checks every observable after every operation: values, defaults, size,
// contains, iteration contents, token state, and that token_error,
// context_error and lookup_error are thrown exactly when the model says, with
// a message that names the variable.
//
// Used by fuzzing/fuzz_context.cpp (libFuzzer) and test/fuzz_model.cpp (a
// fixed-seed randomized run in the normal test suite). A disagreement throws
// cv_fuzz::mismatch.
//
// Input format: a little-endian u16 picks the number of variables (1..300);
// then each operation is one opcode byte followed by its operand bytes. Reads
// past the end yield 0, and the program stops when the input is used up.
// Operations that take a nested sequence (run a stored context, scoped_set,
// call a bind_context wrapper) read a count byte and then that many
// operations. The model of context identity follows the library: a context
// gets an identity when it first sets a value, every version of its values
// carries ("is stamped with") the identity of the context that made it, and
// a bind_context call runs in a fresh context with the stamp as identity, so
// tokens made in the context a handler was bound from can be reset in it.
//
// Flow control (<boost/contextvars/flow.hpp>), core part: every fourth var is
// flow::none. Its values are kept by everything that copies or enters a
// context (copy_context, copies, context::run, binder of an explicit
// context) and left out of what bind_context(f) captures from the current
// context. A suppress_flow guard, always kept properly nested here (made and
// destroyed around a nested sequence in one context), makes bind_context(f)
// capture an empty context while it lives, in the context it was made in
// only; is_flow_suppressed() is checked with every copy_context() check.
// Opcodes 252..255 are the flow-control operations (see step()).

#include <boost/contextvars.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cv_fuzz {

namespace cv = boost::contextvars;

/// Thrown when the library and the model disagree.
struct mismatch: std::exception
{
    std::string msg;
    explicit mismatch(std::string m): msg(std::move(m)) {}
    char const* what() const noexcept override { return msg.c_str(); }
};

constexpr std::size_t max_vars = 300;
constexpr std::size_t token_slots = 16;
constexpr std::size_t context_slots = 6;
constexpr std::size_t guard_slots = 6;
constexpr std::size_t binder_slots = 4;
constexpr int max_depth = 8;

/// Reads operands; 0 past the end.
class reader
{
public:
    reader(std::uint8_t const* p, std::size_t n) noexcept: p_(p), end_(p + n) {}

    bool done() const noexcept { return p_ == end_; }

    std::uint8_t u8() noexcept { return p_ == end_ ? 0 : *p_++; }

    std::uint16_t u16() noexcept
    {
        std::uint16_t lo = u8();
        return static_cast<std::uint16_t>(lo | (u8() << 8));
    }

    int value() noexcept { return static_cast<std::int16_t>(u16()); }

private:
    std::uint8_t const* p_;
    std::uint8_t const* end_;
};

/// Makes the variable index space non-trivial, once per process: keeps vars
/// at indices [150, 1050) alive forever so that the interpreter's vars get
/// both small indices (one trie level) and large ones (three levels, so that
/// setting them grows a small trie upwards).
inline void prepare_index_space()
{
    static bool const done = [] {
        std::vector<std::unique_ptr<cv::context_var<int>>> all;
        for(int i = 0; i < 1200; ++i)
        {
            all.push_back(std::make_unique<cv::context_var<int>>("ballast"));
        }
        static auto* kept = new std::vector<std::unique_ptr<cv::context_var<int>>>;
        for(auto& v: all)
        {
            std::uint32_t i = cv::detail::var_index(*v);
            if(i >= 150 && i < 1050)
            {
                kept->push_back(std::move(v));
            }
        }
        // the others are released here, in index order, into the free list
        return true;
    }();
    (void)done;
}

class interpreter
{
public:
    struct stats
    {
        std::uint64_t ops = 0;
        std::uint64_t expected_errors = 0; // misuse that threw as predicted, by kind:
        std::uint64_t empty_token = 0, used_token = 0, other_var = 0, other_context = 0;
        std::uint64_t entered_context = 0, lookup = 0;
        std::uint64_t resets_ok = 0, foreign_guard_drops = 0, bound_calls = 0;
        std::uint64_t checks = 0;
        // flow control: sets of flow::none vars, suppress_flow guards made,
        // bind_context(f) captures under a guard (empty), and captures that
        // left out a flow::none value
        std::uint64_t flow_none_sets = 0, suppress_guards = 0, suppressed_captures = 0, flow_none_dropped = 0;
    };

    explicit interpreter(stats* s = nullptr): stats_(s ? s : &own_stats_) {}

    /// Records one line per operation into `t` (for reproducing a failure).
    void trace_into(std::vector<std::string>* t) noexcept { trace_ = t; }

    /// Runs one program. Throws `mismatch` on a disagreement.
    void run(std::uint8_t const* data, std::size_t size)
    {
        reader r(data, size);
        nvars_ = 1 + r.u16() % max_vars;
        vars_.clear();
        vars_.resize(nvars_);
        pinned_.assign(nvars_, 0);

        mctx top;
        top.ident = fresh_ident();
        cv::context top_real;
        top_real.run([&] {
            stack_.push_back(&top);
            exec(r, 1u << 30, 0);
            // Drop guards, tokens and binders while still in `top`.
            for(std::size_t g = 0; g < guard_slots; ++g)
            {
                drop_guard(g);
            }
            for(auto& t: tokens_)
            {
                t = {};
            }
            for(auto& b: binders_)
            {
                b.reset();
            }
            check_current();
            stack_.pop_back();
        });
        check_context(top_real, top, "top context after run");
        for(std::size_t i = 0; i < context_slots; ++i)
        {
            if(slots_[i])
            {
                check_context(*slots_[i], mslots_[i], "stored context at the end");
            }
            slots_[i].reset();
            mslots_[i] = mctx{};
        }
        vars_.clear();
        names_.clear();
    }

private:
    // ---- the model ---------------------------------------------------------

    struct mctx
    {
        std::uint64_t ident = 0;      // model identity (fresh for every new context)
        std::uint64_t stamp = 0;      // identity of the context that made `vals`, 0 if none
        std::map<std::uint64_t, int> vals; // var uid -> value
        bool entered = false;
        // suppress_flow guards made in this context and alive; a property of
        // the running context, not of its values, so never copied with them
        int suppressed = 0;
    };

    struct mtoken
    {
        bool valid = false;
        std::uint64_t var = 0;
        std::uint64_t ctx = 0;
        std::optional<int> old;
        bool used = false;
    };

    struct var_slot
    {
        std::unique_ptr<cv::context_var<int>> var;
        std::uint64_t uid = 0;
    };

    struct token_slot
    {
        cv::token<int> real;
        mtoken model;
    };

    struct guard_slot
    {
        std::unique_ptr<cv::scoped_set<int>> real;
        mtoken model;
        std::size_t var = 0; // index in vars_
    };

    struct nested_call
    {
        void operator()(interpreter& self, reader& r, int depth, std::uint64_t n) const
        {
            self.check_current();
            self.exec(r, n, depth);
            self.check_current();
        }
    };

    struct binder_slot
    {
        cv::context_binder<nested_call> real;
        std::map<std::uint64_t, int> vals;
        std::uint64_t stamp;
    };

    static std::optional<int> default_of(std::uint64_t uid)
    {
        if(uid % 3 == 0)
        {
            return static_cast<int>(uid % 100000) * -7;
        }
        return std::nullopt;
    }

    // Every fourth var is flow::none (independent of default_of's uid % 3, so
    // that both kinds come with and without a default).
    static bool is_local(std::uint64_t uid) { return uid % 4 == 2; }

    // What bind_context(f) takes from the current context: nothing under a
    // guard, else the values without the flow::none ones (new work).
    std::map<std::uint64_t, int> captured_for_new_work()
    {
        std::map<std::uint64_t, int> out;
        if(cur().suppressed > 0)
        {
            ++stats_->suppressed_captures;
            return out;
        }
        for(auto const& kv: cur().vals)
        {
            if(!is_local(kv.first))
            {
                out.insert(kv);
            }
        }
        if(out.size() != cur().vals.size())
        {
            ++stats_->flow_none_dropped;
        }
        return out;
    }

    std::uint64_t fresh_ident() { return ++next_ident_; }

    mctx& cur() { return *stack_.back(); }

    [[noreturn]] void fail(std::string const& what)
    {
        throw mismatch(what + " (op #" + std::to_string(stats_->ops) + ")");
    }

    void check(bool ok, char const* what)
    {
        ++stats_->checks;
        if(!ok)
        {
            fail(what);
        }
    }

    std::string quoted_name(std::uint64_t uid) const { return "'v" + std::to_string(uid) + "'"; }

    // The var in slot i, created on first use.
    var_slot& var_at(std::size_t i)
    {
        var_slot& v = vars_[i];
        if(!v.var)
        {
            v.uid = ++next_uid_;
            std::string name = "v" + std::to_string(v.uid);
            cv::flow policy = is_local(v.uid) ? cv::flow::none : cv::flow::copy;
            if(auto d = default_of(v.uid))
            {
                v.var = std::make_unique<cv::context_var<int>>(name, *d, policy);
            }
            else
            {
                v.var = std::make_unique<cv::context_var<int>>(name, policy);
            }
            names_[v.uid] = i;
            check(v.var->flow_policy() == policy, "flow_policy() differs");
        }
        return v;
    }

    std::size_t pick_var(reader& r) { return r.u16() % nvars_; }

    // ---- helpers -------------------------------------------------------------

    enum class verdict { ok, empty, used, other_var, other_context };

    verdict model_reset(std::uint64_t var_uid, mtoken const& t)
    {
        if(!t.valid) return verdict::empty;
        if(t.used) return verdict::used;
        if(t.var != var_uid) return verdict::other_var;
        if(cur().ident != t.ctx) return verdict::other_context;
        return verdict::ok;
    }

    void apply_reset(mtoken& t)
    {
        mctx& c = cur();
        bool changes_root = t.old.has_value() || c.vals.count(t.var) != 0;
        if(t.old)
        {
            c.vals[t.var] = *t.old;
        }
        else
        {
            c.vals.erase(t.var);
        }
        if(changes_root)
        {
            c.stamp = c.ident;
        }
        t.used = true;
    }

    mtoken apply_set(std::uint64_t var_uid, int value)
    {
        mctx& c = cur();
        mtoken t;
        t.valid = true;
        t.var = var_uid;
        t.ctx = c.ident;
        auto it = c.vals.find(var_uid);
        if(it != c.vals.end())
        {
            t.old = it->second;
        }
        c.vals[var_uid] = value;
        c.stamp = c.ident;
        if(is_local(var_uid))
        {
            ++stats_->flow_none_sets;
        }
        return t;
    }

    // Calls reset on the real var and compares the outcome with the model.
    void do_reset(std::size_t vi, cv::token<int>& real, mtoken& model)
    {
        var_slot& v = var_at(vi);
        verdict want = model_reset(v.uid, model);
        bool threw = false;
        std::string msg;
        try
        {
            v.var->reset(real);
        }
        catch(cv::token_error const& e)
        {
            threw = true;
            msg = e.what();
        }
        if(want == verdict::ok)
        {
            check(!threw, "reset threw but the model says it is valid");
            apply_reset(model);
            ++stats_->resets_ok;
        }
        else
        {
            switch(want)
            {
            case verdict::empty: ++stats_->empty_token; break;
            case verdict::used: ++stats_->used_token; break;
            case verdict::other_var: ++stats_->other_var; break;
            default: ++stats_->other_context; break;
            }
            check(threw, "reset did not throw token_error but the model says it is misuse");
            check(msg.find(quoted_name(v.uid)) != std::string::npos, "token_error message does not name the var");
            ++stats_->expected_errors;
        }
        check(real.used() == model.used, "token.used() differs");
    }

    void check_token(cv::token<int> const& real, mtoken const& m)
    {
        check(static_cast<bool>(real) == m.valid, "token validity differs");
        check(real.used() == m.used, "token.used() differs");
        if(m.valid)
        {
            check(real.var().name() == "v" + std::to_string(m.var), "token.var() differs");
            if(!m.used)
            {
                int const* o = real.old_value();
                check((o != nullptr) == m.old.has_value(), "token.old_value() presence differs");
                check(!o || *o == *m.old, "token.old_value() differs");
            }
        }
        else
        {
            bool threw = false;
            try
            {
                (void)real.var();
            }
            catch(cv::token_error const&)
            {
                threw = true;
            }
            check(threw, "empty token's var() did not throw");
        }
    }

    void check_get(std::size_t vi)
    {
        var_slot& v = var_at(vi);
        auto it = cur().vals.find(v.uid);
        std::optional<int> want = it != cur().vals.end() ? std::optional<int>(it->second) : default_of(v.uid);
        int const* p = v.var->try_get();
        check((p != nullptr) == want.has_value(), "try_get presence differs");
        if(p && *p != *want)
        {
            fail("try_get value differs: v" + std::to_string(v.uid) + " is " + std::to_string(*p) + ", the model says " +
                std::to_string(*want));
        }
        bool threw = false;
        std::string msg;
        int got = 0;
        try
        {
            got = v.var->get();
        }
        catch(cv::lookup_error const& e)
        {
            threw = true;
            msg = e.what();
        }
        check(threw == !want.has_value(), "get() threw lookup_error iff there is no value");
        if(threw)
        {
            check(msg.find(quoted_name(v.uid)) != std::string::npos, "lookup_error message does not name the var");
            ++stats_->expected_errors;
            ++stats_->lookup;
        }
        else
        {
            check(got == *want, "get() value differs");
        }
    }

    void check_context(cv::context const& c, mctx const& m, char const* where)
    {
        check(c.size() == m.vals.size(), where);
        check(c.empty() == m.vals.empty(), where);
        // every live var: contains / get
        for(std::size_t i = 0; i < vars_.size(); ++i)
        {
            var_slot const& v = vars_[i];
            if(!v.var)
            {
                continue;
            }
            auto it = m.vals.find(v.uid);
            int const* p = c.get(*v.var);
            check(c.contains(*v.var) == (it != m.vals.end()), "contains() differs");
            check((p != nullptr) == (it != m.vals.end()), "context::get() presence differs");
            check(!p || *p == it->second, "context::get() value differs");
        }
        check_entries(c.begin(), c.end(), m.vals);
    }

    void check_entries(cv::context::iterator it, cv::context::iterator end, std::map<std::uint64_t, int> const& want)
    {
        std::set<std::uint64_t> seen;
        std::size_t n = 0;
        for(; it != end; it++)
        {
            ++n;
            check(n <= want.size(), "iteration yields more entries than the model has");
            std::string_view name = it->name();
            std::uint64_t uid = 0;
            check(name.size() > 1 && name[0] == 'v', "entry name malformed");
            auto res = std::from_chars(name.data() + 1, name.data() + name.size(), uid);
            check(res.ec == std::errc() && res.ptr == name.data() + name.size(), "entry name malformed");
            check(seen.insert(uid).second, "iteration yields a var twice");
            auto w = want.find(uid);
            check(w != want.end(), "iteration yields a var the model does not have");
            auto live = names_.find(uid);
            if(live != names_.end() && vars_[live->second].var && vars_[live->second].uid == uid)
            {
                cv::context_var<int> const& var = *vars_[live->second].var;
                check((*it).is(var), "entry.is() is false for its own var");
                int const* p = it->get(var);
                check(p && *p == w->second, "entry value differs");
            }
        }
        check(n == want.size(), "iteration yields fewer entries than the model has");
    }

    void check_current()
    {
        cv::context c = cv::copy_context();
        check_context(c, cur(), "copy_context() differs from the current model context");
        check(cv::is_flow_suppressed() == (cur().suppressed > 0), "is_flow_suppressed() differs");
    }

    void drop_guard(std::size_t g)
    {
        guard_slot& s = guard_slots_[g];
        if(!s.real)
        {
            return;
        }
        // The destructor restores iff the token is unused and the current
        // context is the one the guard was made in; else it does nothing.
        if(!s.model.used && s.model.ctx == cur().ident)
        {
            apply_reset(s.model);
        }
        else if(!s.model.used)
        {
            ++stats_->foreign_guard_drops;
        }
        s.real.reset();
        s.model = {};
    }

    void drop_var(std::size_t vi)
    {
        var_slot& v = vars_[vi];
        if(!v.var || pinned_[vi] != 0)
        {
            return;
        }
        // tokens and guards refer to the var object: they go first
        for(std::size_t g = 0; g < guard_slots; ++g)
        {
            if(guard_slots_[g].real && guard_slots_[g].var == vi)
            {
                drop_guard(g);
            }
        }
        for(auto& t: tokens_)
        {
            if(t.model.valid && t.model.var == v.uid)
            {
                t = {};
            }
        }
        names_.erase(v.uid);
        v.var.reset(); // its values stay in the contexts that hold them
    }

    // Whether stored context i is entered (on the stack).
    bool entered(std::size_t i) const { return mslots_[i].entered; }

    cv::context& slot(std::size_t i)
    {
        if(!slots_[i])
        {
            slots_[i] = std::make_unique<cv::context>();
            mslots_[i] = mctx{};
            mslots_[i].ident = fresh_ident();
        }
        return *slots_[i];
    }

    template<class F>
    void expect_context_error(bool want, F&& f, char const* what)
    {
        bool threw = false;
        try
        {
            f();
        }
        catch(cv::context_error const&)
        {
            threw = true;
        }
        check(threw == want, what);
        if(threw)
        {
            ++stats_->expected_errors;
            ++stats_->entered_context;
        }
    }

    // ---- the interpreter -----------------------------------------------------

    void exec(reader& r, std::uint64_t count, int depth)
    {
        for(std::uint64_t k = 0; k < count && !r.done(); ++k)
        {
            step(r, depth);
        }
    }

    std::uint64_t nested_count(reader& r, int depth)
    {
        std::uint64_t n = 1 + r.u8() % 8;
        return depth >= max_depth ? 0 : n;
    }

    void note(std::string const& s)
    {
        if(trace_ && !trace_->empty())
        {
            trace_->back() += s;
        }
    }

    std::string ctx_desc()
    {
        std::string s = " [cur ident " + std::to_string(cur().ident) + " stamp " + std::to_string(cur().stamp) + " {";
        for(auto const& kv: cur().vals)
        {
            s += " v" + std::to_string(kv.first) + "=" + std::to_string(kv.second);
        }
        return s + " }]";
    }

    void step(reader& r, int depth)
    {
        ++stats_->ops;
        // Bytes 0..251 pick ops 0..27 as before flow control was added (byte %
        // 28), so older inputs keep their meaning except for 252..255 (which
        // were sets): these four are the flow-control ops 28..31.
        std::uint8_t byte = r.u8();
        std::uint8_t op = byte >= 252 ? static_cast<std::uint8_t>(28 + (byte - 252)) : byte % 28;
        if(trace_)
        {
            static char const* const names[] = {"set", "set", "set", "set", "reset", "reset", "reset", "get", "get",
                "get", "get_fallback", "copy_into", "run", "run", "scoped", "guard_push", "guard_drop",
                "guard_reset", "iterate", "iter_stable", "copy_assign", "move_assign", "bind", "call", "call",
                "binder_context", "recreate_var", "token_inspect", "suppress_flow", "suppress_flow",
                "bind_suppressed", "flow_check"};
            trace_->push_back(std::string(static_cast<std::size_t>(depth) * 2, ' ') + "#" +
                std::to_string(stats_->ops) + " " + names[op] + ctx_desc());
        }
        switch(op)
        {
        case 0: case 1: case 2: case 3: // set
        {
            std::size_t vi = pick_var(r);
            token_slot& t = tokens_[r.u8() % token_slots];
            int value = r.value();
            var_slot& v = var_at(vi);
            note(" v" + std::to_string(v.uid) + "=" + std::to_string(value));
            t.real = v.var->set(value);
            t.model = apply_set(v.uid, value);
            check_token(t.real, t.model);
            break;
        }
        case 4: case 5: case 6: // reset with a stored token (often the right var)
        {
            token_slot& t = tokens_[r.u8() % token_slots];
            std::uint8_t how = r.u8();
            std::size_t vi = pick_var(r);
            if((how & 3) != 0 && t.model.valid && names_.count(t.model.var))
            {
                vi = names_[t.model.var];
            }
            note(" var slot " + std::to_string(vi) + " token var v" + std::to_string(t.model.var) + " ctx " +
                std::to_string(t.model.ctx) + (t.model.used ? " used" : "") + (t.model.valid ? "" : " empty"));
            do_reset(vi, t.real, t.model);
            break;
        }
        case 7: case 8: case 9: // get / try_get
        {
            std::size_t vi = pick_var(r);
            note(" var slot " + std::to_string(vi) + " v" + std::to_string(var_at(vi).uid));
            check_get(vi);
            break;
        }
        case 10: // get with a fallback: the fallback wins over the default
        {
            var_slot& v = var_at(pick_var(r));
            int fb = r.value();
            auto it = cur().vals.find(v.uid);
            check(v.var->get(fb) == (it != cur().vals.end() ? it->second : fb), "get(fallback) differs");
            break;
        }
        case 11: // copy_context() into a stored context (assignment)
        {
            std::size_t s = r.u8() % context_slots;
            cv::context& c = slot(s);
            if(entered(s))
            {
                note(" skipped: move-assigning into an entered context terminates");
                break;
            }
            c = cv::copy_context(); // a move assignment: noexcept
            {
                mctx& m = mslots_[s];
                m.vals = cur().vals;
                m.stamp = cur().stamp;
                m.ident = fresh_ident();
            }
            break;
        }
        case 12: case 13: // run a stored context with a nested sequence
        {
            std::size_t s = r.u8() % context_slots;
            std::uint64_t n = nested_count(r, depth);
            cv::context& c = slot(s);
            mctx& m = mslots_[s];
            bool want = m.entered;
            note(" slot " + std::to_string(s) + " ident " + std::to_string(m.ident) + (want ? " ENTERED" : ""));
            std::size_t height = stack_.size();
            expect_context_error(want, [&] {
                c.run([&] {
                    m.entered = true;
                    stack_.push_back(&m);
                    check_current();
                    exec(r, n, depth + 1);
                    check_current();
                    stack_.pop_back();
                    m.entered = false;
                });
            }, "running an entered context");
            check(stack_.size() == height, "context stack unbalanced");
            break;
        }
        case 14: // scoped_set around a nested sequence
        {
            std::size_t vi = pick_var(r);
            var_slot& v = var_at(vi);
            int value = r.value();
            std::uint64_t n = nested_count(r, depth);
            mctx& here = cur();
            ++pinned_[vi]; // the guard refers to the var: op 26 must leave it alone
            {
                cv::scoped_set<int> g(*v.var, value);
                mtoken t = apply_set(v.uid, value);
                check_get(vi);
                exec(r, n, depth + 1);
                check(&cur() == &here, "context changed inside a nested sequence");
                if(r.u8() & 1)
                {
                    // reset by hand: the destructor then does nothing
                    do_reset(vi, g.get_token(), t);
                }
                if(!t.used && t.ctx == cur().ident)
                {
                    apply_reset(t);
                }
            }
            --pinned_[vi];
            check_current();
            break;
        }
        case 15: // heap guard: made now, destroyed by op 16 in any context
        {
            std::size_t g = r.u8() % guard_slots;
            std::size_t vi = pick_var(r);
            int value = r.value();
            drop_guard(g);
            var_slot& v = var_at(vi);
            guard_slots_[g].real = std::make_unique<cv::scoped_set<int>>(*v.var, value);
            guard_slots_[g].model = apply_set(v.uid, value);
            guard_slots_[g].var = vi;
            break;
        }
        case 16: // destroy a guard, possibly in a foreign context (no-op)
            drop_guard(r.u8() % guard_slots);
            check_current();
            break;
        case 17: // reset a guard's token by hand, with its own var or another
        {
            guard_slot& g = guard_slots_[r.u8() % guard_slots];
            std::size_t vi = pick_var(r);
            if(!g.real)
            {
                break;
            }
            if(r.u8() & 1)
            {
                vi = g.var;
            }
            do_reset(vi, g.real->get_token(), g.model);
            break;
        }
        case 18: // iterate the current context or a stored one
        {
            std::size_t s = r.u8() % (context_slots + 1);
            if(s == context_slots)
            {
                check_current();
            }
            else
            {
                check_context(slot(s), mslots_[s], "stored context differs");
            }
            break;
        }
        case 19: // an iterator keeps the values it walks
        {
            std::size_t s = r.u8() % context_slots;
            std::size_t a = r.u8() % context_slots;
            cv::context& c = slot(s);
            cv::context& from = slot(a);
            auto before = mslots_[s].vals;
            cv::context::iterator it = c.begin();
            if(!entered(s))
            {
                c = from; // copy-assign: new identity, a's values
                mslots_[s].vals = mslots_[a].vals;
                mslots_[s].stamp = mslots_[a].stamp;
                mslots_[s].ident = fresh_ident();
            }
            check_entries(it, c.end(), before);
            break;
        }
        case 20: // copy-assign between stored contexts
        {
            std::size_t a = r.u8() % context_slots;
            std::size_t b = r.u8() % context_slots;
            cv::context& ca = slot(a);
            cv::context& cb = slot(b);
            bool want = entered(b);
            expect_context_error(want, [&] { cb = ca; }, "copy-assigning to an entered context");
            if(!want)
            {
                mslots_[b].vals = mslots_[a].vals;
                mslots_[b].stamp = mslots_[a].stamp;
                mslots_[b].ident = fresh_ident();
            }
            break;
        }
        case 21: // move-assign between stored contexts
        {
            std::size_t a = r.u8() % context_slots;
            std::size_t b = r.u8() % context_slots;
            cv::context& ca = slot(a);
            cv::context& cb = slot(b);
            if(entered(b))
            {
                note(" skipped: move-assigning into an entered context terminates");
                break;
            }
            cb = std::move(ca); // noexcept
            if(a != b)
            {
                mctx& ma = mslots_[a];
                mctx& mb = mslots_[b];
                if(entered(a))
                {
                    // An entered context cannot give its state away: b gets a copy.
                    mb.vals = ma.vals;
                    mb.stamp = ma.stamp;
                    mb.ident = fresh_ident();
                }
                else
                {
                    mb.vals = std::move(ma.vals);
                    mb.stamp = ma.stamp;
                    mb.ident = ma.ident;
                    ma.vals.clear();
                    ma.stamp = 0;
                    ma.ident = fresh_ident();
                }
            }
            check_context(ca, mslots_[a], "moved-from context");
            break;
        }
        case 22: // bind_context to the current context or a stored one
        {
            std::size_t b = r.u8() % binder_slots;
            std::size_t s = r.u8() % (context_slots + 1);
            if(binder_busy_[b] != 0)
            {
                break; // being called: replacing it would destroy the running target
            }
            if(s == context_slots)
            {
                // new work: flowing values only, nothing under a guard
                binders_[b].emplace(binder_slot{cv::bind_context(nested_call{}), captured_for_new_work(), cur().stamp});
            }
            else
            {
                // an explicit context is not new work: all its values, guards
                // or not (bind_context.hpp, flow.adoc's table)
                cv::context& c = slot(s);
                binders_[b].emplace(
                    binder_slot{cv::bind_context(c, nested_call{}), mslots_[s].vals, mslots_[s].stamp});
            }
            break;
        }
        case 23: case 24: // call a bind_context wrapper: a fresh copy of its context each time
        {
            std::size_t b = r.u8() % binder_slots;
            std::uint64_t n = nested_count(r, depth);
            if(!binders_[b])
            {
                break;
            }
            binder_slot& bs = *binders_[b];
            mctx m;
            m.vals = bs.vals;
            m.stamp = bs.stamp;
            m.ident = fresh_ident(); // a bound call runs in a new context (Python's rule)
            m.entered = true;
            mctx* outer = &cur();
            stack_.push_back(&m);
            ++binder_busy_[b];
            ++stats_->bound_calls;
            bs.real(*this, r, depth + 1, n);
            --binder_busy_[b];
            stack_.pop_back();
            check(&cur() == outer, "context stack unbalanced after a bound call");
            check_current();
            break;
        }
        case 25: // a binder's context, stored
        {
            std::size_t b = r.u8() % binder_slots;
            std::size_t s = r.u8() % context_slots;
            cv::context& c = slot(s);
            if(!binders_[b])
            {
                break;
            }
            if(entered(s))
            {
                note(" skipped: move-assigning into an entered context terminates");
                break;
            }
            c = binders_[b]->real.get_context(); // a move assignment: noexcept
            {
                mslots_[s].vals = binders_[b]->vals;
                mslots_[s].stamp = binders_[b]->stamp;
                mslots_[s].ident = fresh_ident();
            }
            break;
        }
        case 26: // destroy a var and make a new one in its slot
        {
            std::size_t vi = pick_var(r);
            note(" var slot " + std::to_string(vi) + (vars_[vi].var ? " v" + std::to_string(vars_[vi].uid) : ""));
            drop_var(vi);
            break;
        }
        case 27: // inspect a token
        {
            token_slot& t = tokens_[r.u8() % token_slots];
            check_token(t.real, t.model);
            break;
        }
        case 28: case 29: // a suppress_flow guard around a nested sequence (so guards nest properly)
        {
            std::uint64_t n = nested_count(r, depth);
            mctx& here = cur();
            {
                cv::suppress_flow g;
                ++here.suppressed;
                ++stats_->suppress_guards;
                check_current();
                exec(r, n, depth + 1);
                check(&cur() == &here, "context changed inside a nested sequence");
                check_current();
                --here.suppressed;
            }
            check_current();
            break;
        }
        case 30: // bind_context(f) under a short-lived guard: an empty capture
        {
            std::size_t b = r.u8() % binder_slots;
            if(binder_busy_[b] != 0)
            {
                break; // being called: replacing it would destroy the running target
            }
            cv::suppress_flow g;
            ++cur().suppressed;
            ++stats_->suppress_guards;
            binders_[b].emplace(binder_slot{cv::bind_context(nested_call{}), captured_for_new_work(), 0});
            check(binders_[b]->real.get_context().empty(), "a capture under suppress_flow is not empty");
            --cur().suppressed;
            break;
        }
        case 31: // the current context and is_flow_suppressed()
            check_current();
            break;
        }
    }

    stats own_stats_;
    stats* stats_;
    std::vector<std::string>* trace_ = nullptr;
    std::size_t nvars_ = 1;
    std::uint64_t next_uid_ = 0;
    std::uint64_t next_ident_ = 0;
    std::vector<var_slot> vars_;
    std::vector<int> pinned_;             // per var slot: scoped_sets alive on it
    std::map<std::uint64_t, std::size_t> names_; // live var uid -> slot
    std::array<token_slot, token_slots> tokens_;
    std::array<guard_slot, guard_slots> guard_slots_;
    std::array<std::optional<binder_slot>, binder_slots> binders_;
    std::array<int, binder_slots> binder_busy_{}; // calls in progress
    std::array<std::unique_ptr<cv::context>, context_slots> slots_;
    std::array<mctx, context_slots> mslots_;
    std::vector<mctx*> stack_;
};

/// Runs one input through a fresh interpreter.
inline void run_one(std::uint8_t const* data, std::size_t size, interpreter::stats* s = nullptr,
    std::vector<std::string>* trace = nullptr)
{
    prepare_index_space();
    interpreter in(s);
    in.trace_into(trace);
    in.run(data, size);
}

} // namespace cv_fuzz

#endif // BOOST_CONTEXTVARS_FUZZING_MODEL_HPP_INCLUDED
