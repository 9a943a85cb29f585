#ifndef BOOST_CONTEXTVARS_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// class context and copy_context(): a mapping from context variables to
// values with O(1) copies, the thing that is "current" on a thread. Python:
// contextvars.Context and contextvars.copy_context(). What the rest of the
// library needs of a context is in detail/ (context_access.hpp,
// current_context.hpp, capture.hpp), included at the end.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/switch_notify.hpp>
#include <boost/contextvars/detail/lookup.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <boost/contextvars/detail/split_root.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <boost/contextvars/detail/trie_walk.hpp>
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
        return find(var) != nullptr;
    }

    /// A pointer to `var`'s value in this context, or null (defaults do not
    /// count). Valid while this context holds that value.
    template<class T>
    T const* get(context_var<T> const& var) const noexcept
    {
        detail::value_node const* n = find(var);
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

    detail::value_node const* find(detail::var_key const& var) const noexcept
    {
        detail::node const* r = detail::part_for(root_.get(), detail::var_is_local(var));
        return detail::find_value(r, detail::var_index(var), detail::var_identity(var));
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
        BOOST_FORCEINLINE explicit install_guard(context& c) noexcept:
            state_(detail::state()), previous_(state_->current)
        {
            detail::switch_current(state_, &c);
        }

        install_guard(install_guard const&) = delete;
        install_guard& operator=(install_guard const&) = delete;

        BOOST_FORCEINLINE ~install_guard()
        {
            detail::switch_current(state_, previous_);
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
            c_.suppressed_by_ = 0; // a guard the run leaked stops with it
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
    // The serial number of the innermost live suppress_flow guard made while
    // this context was current, or 0 (flow.hpp): a property of the running
    // context, not of its values, so copies and moves leave it behind. 32
    // bits, in what would be padding: a context stays three words.
    std::uint32_t suppressed_by_ = 0;
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
        return a.walk_.current() == b.walk_.current();
    }

    friend bool operator!=(iterator const& a, iterator const& b) noexcept
    {
        return !(a == b);
    }

private:
    friend class context;

    explicit iterator(detail::snapshot const& root): walk_(root)
    {
        entry_.node_ = walk_.current();
    }

    void advance() noexcept
    {
        walk_.advance();
        entry_.node_ = walk_.current();
    }

    detail::trie_walk walk_;
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

/// A copy of the current context: O(1), no atomic operation when the
/// current context is empty. Python: `contextvars.copy_context()`.
inline context copy_context() noexcept
{
    context* c = detail::state()->current;
    return c ? context(*c) : context();
}

} // namespace contextvars
} // namespace boost

// The library's helpers around class context, which need it complete.
#include <boost/contextvars/detail/context_access.hpp>
#include <boost/contextvars/detail/current_context.hpp>
#include <boost/contextvars/detail/capture.hpp>
#include <boost/contextvars/detail/switch_watchers.hpp>

#endif // BOOST_CONTEXTVARS_CONTEXT_HPP_INCLUDED
