#ifndef BOOST_CONTEXTVARS_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// class context and copy_context(): a mapping from context variables to
// values with O(1) copies, the thing that is "current" on a thread. Python:
// contextvars.Context and contextvars.copy_context().

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/contextvars/detail/var_key.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/assert.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string_view>
#include <utility>

namespace boost {
namespace contextvars {

template<class T> class context_var;

namespace detail {
struct context_access;
} // namespace detail

/// A mapping from context variables to values; copying is O(1) and gives an
/// independent context. Python: `contextvars.Context`.
class context
{
public:
    class entry;
    class iterator;

    /// An empty context.
    context() noexcept = default;

    /// A new, independent context with the same values (O(1)).
    context(context const& other) noexcept: root_(other.root_) {}

    /// Takes over `other`'s values and identity; `other` becomes empty. If
    /// `other` is entered (some thread is running in it), it cannot give its
    /// state away: `*this` becomes a copy of it (a new context with the same
    /// values) and `other` is left as it was.
    context(context&& other) noexcept: root_(), id_(0)
    {
        if(other.entered_.load(std::memory_order_acquire))
        {
            root_ = other.root_;
            return;
        }
        root_.swap(other.root_);
        id_ = std::exchange(other.id_, 0);
        continuing_ = std::exchange(other.continuing_, false);
    }

    /// Replaces the values with `other`'s; `*this` becomes a new context.
    /// Throws `context_error` if `*this` is entered.
    context& operator=(context const& other)
    {
        check_not_entered("cannot assign to a context that is entered");
        root_ = other.root_;
        id_ = 0;
        continuing_ = false;
        return *this;
    }

    /// Takes over `other`'s values and identity, or copies them (new
    /// identity) if `other` is entered. Precondition: `*this` is not entered,
    /// since that would change the context a thread is running in; as for
    /// destroying a joinable `std::thread`, a violation calls
    /// `std::terminate()`.
    context& operator=(context&& other) noexcept
    {
        if(entered_.load(std::memory_order_acquire))
        {
            detail::terminate_with("boost::contextvars::context: move-assigned while entered");
        }
        if(this != &other)
        {
            context(std::move(other)).swap_state(*this);
        }
        return *this;
    }

    ~context() = default;

    /// Makes this context current on the calling thread, calls
    /// `std::invoke(f, args...)`, and makes the previous context current
    /// again, also when `f` throws. Changes made by `f` stay in `*this`.
    /// Returns what `f` returns. Throws `context_error` if `*this` is already
    /// entered on any thread.
    template<class F, class... A>
    decltype(auto) run(F&& f, A&&... args)
    {
        if(entered_.exchange(true, std::memory_order_acquire))
        {
            detail::throw_context_error("context::run: the context is already entered");
        }
        enter_guard guard(*this);
        return std::invoke(std::forward<F>(f), std::forward<A>(args)...);
    }

    /// The number of variables that have a value in this context.
    std::size_t size() const noexcept
    {
        return root_.get() ? root_.get()->size : 0u;
    }

    /// `size() == 0`.
    bool empty() const noexcept
    {
        return size() == 0;
    }

    /// Whether `var` has a value in this context (defaults do not count).
    template<class T>
    bool contains(context_var<T> const& var) const noexcept
    {
        return detail::find(root_.get(), detail::var_index(var)) != nullptr;
    }

    /// A pointer to `var`'s value in this context, or null (defaults do not
    /// count). Valid while this context holds that value.
    template<class T>
    T const* get(context_var<T> const& var) const noexcept
    {
        detail::value_node const* n = detail::find(root_.get(), detail::var_index(var));
        return n ? &static_cast<detail::typed_value_node<T> const*>(n)->value : nullptr;
    }

    iterator begin() const;
    iterator end() const noexcept;

private:
    friend struct detail::context_access;

    // The context a handler runs in: the captured values, and either the
    // identity of the context they were captured from (a coroutine resuming)
    // or none yet (a new context, which gets an identity at its first set()).
    //
    // A capture keeps its identity only when the context it was taken from
    // had stamped its root (continuable()), so the root is there to read.
    // `continuing`: the handler continues the context it was captured from
    // (a coroutine resuming), so the work it starts continues it too.
    context(detail::snapshot&& s, bool keeps_identity, bool continuing) noexcept:
        root_(std::move(s)), id_(keeps_identity ? root_.get()->stamp : 0), continuing_(continuing)
    {
        BOOST_ASSERT(!keeps_identity || id_ != 0);
    }

    void swap_state(context& other) noexcept
    {
        root_.swap(other.root_);
        std::swap(id_, other.id_);
        std::swap(continuing_, other.continuing_);
    }

    // Whether a capture of this context can carry its identity: a context
    // that made a token stamped its root with its identity by that set().
    bool continuable() const noexcept
    {
        return id_ != 0 && id_ == root_.stamp();
    }

    void check_not_entered(char const* what) const
    {
        if(entered_.load(std::memory_order_acquire))
        {
            detail::throw_context_error(what);
        }
    }

    std::uint64_t ensure_id(detail::thread_state* s) noexcept
    {
        if(id_ == 0)
        {
            id_ = detail::new_unique_id(s);
        }
        return id_;
    }

    class install_guard
    {
    public:
        explicit install_guard(context& c) noexcept: state_(detail::state()), previous_(state_->current)
        {
            state_->current = &c;
        }

        install_guard(install_guard const&) = delete;
        install_guard& operator=(install_guard const&) = delete;

        ~install_guard()
        {
            state_->current = previous_;
        }

    private:
        detail::thread_state* state_;
        context* previous_;
    };

    class enter_guard: install_guard
    {
    public:
        explicit enter_guard(context& c) noexcept: install_guard(c), c_(c) {}

        ~enter_guard()
        {
            c_.entered_.store(false, std::memory_order_release);
        }

    private:
        context& c_;
    };

    detail::snapshot root_;
    std::uint64_t id_ = 0;          // 0 until a token needs it
    std::atomic<bool> entered_{false};
    // Only a handler's context, made by the library, continues another: a
    // context the user makes, copies or runs code in never does, so work
    // started inside context::run() gets a new context, as in Python.
    bool continuing_ = false;
};

/// One variable's value, as seen while iterating a context.
class context::entry
{
public:
    /// The variable's name.
    std::string_view name() const noexcept
    {
        return node_->var->name;
    }

    /// Whether this entry is `var`'s value.
    template<class T>
    bool is(context_var<T> const& var) const noexcept
    {
        return node_->var == detail::var_identity(var);
    }

    /// A pointer to the value if this entry is `var`'s, else null.
    template<class T>
    T const* get(context_var<T> const& var) const noexcept
    {
        return is(var) ? &static_cast<detail::typed_value_node<T> const*>(node_)->value : nullptr;
    }

private:
    friend class context::iterator;
    detail::value_node const* node_ = nullptr;
};

/// A forward iterator over a context's entries, in no particular order. It
/// holds the values it walks: later changes to the context do not affect it.
class context::iterator
{
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = entry;
    using difference_type = std::ptrdiff_t;
    using pointer = entry const*;
    using reference = entry const&;

    iterator() noexcept = default;

    reference operator*() const noexcept
    {
        return entry_;
    }

    pointer operator->() const noexcept
    {
        return &entry_;
    }

    iterator& operator++() noexcept
    {
        advance();
        return *this;
    }

    iterator operator++(int) noexcept
    {
        iterator r = *this;
        advance();
        return r;
    }

    friend bool operator==(iterator const& a, iterator const& b) noexcept
    {
        return a.current() == b.current();
    }

    friend bool operator!=(iterator const& a, iterator const& b) noexcept
    {
        return !(a == b);
    }

private:
    friend class context;

    explicit iterator(detail::snapshot const& root): root_(root)
    {
        if(root_.get() != nullptr && root_.get()->count != 0)
        {
            stack_[0] = {root_.get(), 0};
            depth_ = 1;
            descend();
        }
    }

    // Walk down the leftmost unvisited path to a value.
    void descend() noexcept
    {
        for(;;)
        {
            frame& f = stack_[depth_ - 1];
            void* child = f.n->slots()[f.pos];
            if(f.n->shift == 0)
            {
                entry_.node_ = static_cast<detail::value_node const*>(child);
                return;
            }
            stack_[depth_++] = {static_cast<detail::node const*>(child), 0};
        }
    }

    void advance() noexcept
    {
        while(depth_ != 0)
        {
            frame& f = stack_[depth_ - 1];
            if(++f.pos < f.n->count)
            {
                descend();
                return;
            }
            --depth_;
        }
        entry_.node_ = nullptr;
    }

    detail::value_node const* current() const noexcept
    {
        return entry_.node_;
    }

    struct frame
    {
        detail::node const* n;
        unsigned pos;
    };

    detail::snapshot root_;
    frame stack_[detail::max_levels] = {};
    unsigned depth_ = 0;
    entry entry_;
};

inline context::iterator context::begin() const
{
    return iterator(root_);
}

inline context::iterator context::end() const noexcept
{
    return iterator();
}

namespace detail {

// The library's own door into context: the current context, the snapshot a
// handler carries, and running on a snapshot without the cost of the
// cross-thread "entered" flag (a fresh context cannot be entered elsewhere).
struct context_access
{
    static std::uint64_t id(context const& c) noexcept
    {
        return c.id_;
    }

    static snapshot const& root(context const& c) noexcept
    {
        return c.root_;
    }

    static context make(snapshot&& s, bool keeps_identity = false, bool continuing = false) noexcept
    {
        return context(std::move(s), keeps_identity, continuing);
    }

    /// Whether the work started in `c` continues it (whole-program tracking
    /// reads this when it captures).
    static bool continuing(context const& c) noexcept
    {
        return c.continuing_;
    }

    static bool continuable(context const& c) noexcept
    {
        return c.continuable();
    }

    struct update_result
    {
        std::uint64_t id;      // the identity of `c`, which stamps the new root
        value_node* previous;  // the value replaced (the caller owns the reference), or null
    };

    /// The one write to a context's values (context_var::set() and reset()):
    /// maps `index` to `v`, or removes it when `v` is null, as a change made
    /// by `c`, so the new root carries `c`'s identity, which `c` gets now if
    /// it had none. Takes over the caller's reference to `v` only on
    /// success; strong guarantee.
    static update_result update(context& c, thread_state* s, std::uint32_t index, value_node* v)
    {
        std::uint64_t id = c.ensure_id(s);
        return {id, detail::update(c.root_, index, v, id, new_unique_id(s))};
    }

    using install_guard = context::install_guard;
};

// A thread's context before anything entered one. It needs a destructor (it
// may hold values at thread exit), so it lives apart from thread_state and is
// reached only through this non-inlinable function.
BOOST_NOINLINE inline context& base_context()
{
    struct holder
    {
        context c;
        ~holder()
        {
            thread_state* s = state();
            if(s->current == &c)
            {
                s->current = nullptr;
            }
        }
    };
    static thread_local holder h;
    context* p = &h.c;
    BOOST_CONTEXTVARS_OPAQUE_POINTER(p);
    return *p;
}

/// The current context, or null when this thread never entered one and never
/// set a variable (it is then empty).
inline context* current_context() noexcept
{
    return state()->current;
}

/// The current context, creating the thread's base context if needed.
inline context& writable_current_context(thread_state* s)
{
    if(s->current == nullptr)
    {
        s->current = &base_context();
    }
    return *s->current;
}

/// Strict mode's check on set(): a write to the thread's base context while
/// an Asio run loop runs on this thread lands where the next handler on the
/// thread will see it.
BOOST_NOINLINE inline void strict_check_set(context const& c, std::string_view var)
{
    bool (*in_run_loop)() = run_loop_probe.load(std::memory_order_acquire);
    if(&c == &base_context() && in_run_loop != nullptr && in_run_loop())
    {
        std::string message = "context_var " + quoted(var) +
            " set in the thread's base context inside an Asio run loop: this handler or coroutine was "
            "started without a context (wrap its executor in context_executor, its token in bind_context, "
            "or build with whole-program tracking)";
        strict_report_violation(strict_violation::set_in_base_context, message);
    }
}

/// The value stored for `index` in the map `r` (the current context's) on
/// the thread whose state is `s`, through the thread's lookup cache: a hit
/// costs the same however many variables the map holds, and is cheaper than
/// even a one-level walk (no popcount).
inline value_node const* cached_find(thread_state* s, node const* r, std::uint32_t index) noexcept
{
    lookup_cache_entry& e = s->cache[index % lookup_cache_size];
    if(e.version == r->version && e.index == index)
    {
        return static_cast<value_node const*>(e.value);
    }
    value_node const* v = find(r, index);
    e.version = r->version;
    e.index = index;
    e.value = v;
    return v;
}

/// The values of the current context.
BOOST_FORCEINLINE snapshot current_snapshot() noexcept
{
    context* c = current_context();
    return c ? context_access::root(static_cast<context const&>(*c)) : snapshot();
}

/// What a handler carries: the values it runs with, and whether it continues
/// the context they were taken from. Only a coroutine resuming continues its
/// context: it keeps its identity, so its tokens and scoped_sets made before
/// a suspension still reset. Every other handler, bound call or spawned
/// coroutine runs in a new context, as in Python, where a token from the
/// context that scheduled it is foreign.
struct capture
{
    snapshot values;
    // The handler continues the capturing context (whole-program tracking
    // passes this on to the work the handler starts).
    bool continues = false;
    // ... and the capturing context had an identity, which is its values'
    // stamp. A context without one (it never made a token) continues as a
    // new context: no token can name the identity it never had.
    bool keeps_identity = false;
};

/// The values of `c` (the current context of some thread, or null); with
/// `continues`, also its identity.
BOOST_FORCEINLINE capture capture_of(context const* c, bool continues) noexcept
{
    if(c == nullptr)
    {
        return capture{snapshot(), continues, false};
    }
    return capture{context_access::root(*c), continues, continues && context_access::continuable(*c)};
}

/// The current context's values; with `continues`, also its identity.
BOOST_FORCEINLINE capture capture_current(bool continues) noexcept
{
    return capture_of(current_context(), continues);
}

/// Calls `f(args...)` in a context holding `c`'s values: a new context, or
/// the continuation of the captured one.
template<class F, class... A>
BOOST_FORCEINLINE decltype(auto) run_on(capture c, F&& f, A&&... args)
{
    context ctx = context_access::make(std::move(c.values), c.keeps_identity, c.continues);
    context_access::install_guard guard(ctx);
    return std::invoke(std::forward<F>(f), std::forward<A>(args)...);
}

} // namespace detail

/// A copy of the current context: O(1), no atomic operation when the
/// current context is empty. Python: `contextvars.copy_context()`.
inline context copy_context() noexcept
{
    context* c = detail::current_context();
    return c ? context(*c) : context();
}

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_CONTEXT_HPP_INCLUDED
