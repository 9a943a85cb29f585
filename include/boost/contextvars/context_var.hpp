#ifndef BOOST_CONTEXTVARS_CONTEXT_VAR_HPP_INCLUDED
#define BOOST_CONTEXTVARS_CONTEXT_VAR_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// context_var<T>: a variable whose value is looked up in the current context.
// The object is only an identity and a default; values live in contexts.
// Python: contextvars.ContextVar.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/flow.hpp>
#include <boost/contextvars/token.hpp>
#include <boost/contextvars/detail/lookup.hpp>
#include <boost/contextvars/detail/strict_check.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/contextvars/detail/var_key.hpp>
#include <boost/contextvars/detail/print_value.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {

/// A context variable of type `T`. Not copyable: its address is its
/// identity. Normally defined at namespace scope. All members are `const`:
/// they read or change the current context, never the variable.
template<class T>
class context_var: public detail::var_key
{
    static_assert(std::is_object<T>::value && !std::is_const<T>::value,
        "context_var<T>: T must be a non-const object type");

public:
    using value_type = T;

    /// A variable named `name`, without default, whose values go along
    /// into new work as `policy` says (flow.hpp).
    explicit context_var(std::string_view name, flow policy = flow::copy):
        detail::var_key(name, policy == flow::none)
    {
        info()->print = &detail::print_value<T>;
    }

    /// A variable named `name` whose value defaults to `default_value`, and
    /// whose values go along into new work as `policy` says (flow.hpp).
    context_var(std::string_view name, T default_value, flow policy = flow::copy):
        detail::var_key(name, policy == flow::none), default_(std::move(default_value))
    {
        info()->print = &detail::print_value<T>;
    }

    context_var(context_var const&) = delete;
    context_var& operator=(context_var const&) = delete;

    /// The name given at construction.
    std::string_view name() const noexcept
    {
        return info()->name;
    }

    /// The flow policy given at construction.
    flow flow_policy() const noexcept
    {
        return detail::var_is_local(*this) ? flow::none : flow::copy;
    }

    /// Whether a default was given.
    bool has_default() const noexcept
    {
        return default_.has_value();
    }

    /// The value in the current context, else the default. Throws
    /// `lookup_error` when there is neither. The reference stays valid while
    /// the current context holds that value (until the variable is set or
    /// reset in it, or the context is left).
    T const& get() const
    {
        if(T const* p = try_get())
        {
            return *p;
        }
        detail::throw_lookup_error(name());
    }

    /// The value in the current context, else `fallback`; an explicit
    /// fallback wins over the default, as in Python.
    template<class U>
    T get(U&& fallback) const
    {
        if(detail::value_node const* n = lookup())
        {
            return value_of(n);
        }
        return T(std::forward<U>(fallback));
    }

    /// A pointer to the value in the current context, else to the default,
    /// else null.
    T const* try_get() const noexcept
    {
        if(detail::value_node const* n = lookup())
        {
            return &value_of(n);
        }
        return default_ ? &*default_ : nullptr;
    }

    /// Gives the variable the value `value` in the current context. Returns
    /// the token that `reset()` takes to undo it. Strong guarantee: if
    /// anything throws, the current context is unchanged.
    token<T> set(T value) const
    {
        detail::thread_state* s = detail::state();
        context& c = detail::writable_current_context(s);
        if(BOOST_UNLIKELY(detail::strict_on()))
        {
            detail::strict_check_set(c, name());
        }
        auto* v = detail::typed_value_node<T>::make(s, info(), std::move(value));
        detail::context_access::update_result r;
        try
        {
            r = detail::context_access::update(c, s, index(), v, detail::var_is_local(*this));
        }
        catch(...)
        {
            detail::release(v);
            throw;
        }
        return token<T>(this, r.id, r.previous); // the token adopts the reference to the old value
    }

    /// Gives the variable back the value it had before the `set()` that made
    /// `t`, or removes it if it had none, in the current context. Throws
    /// `token_error` if `t` is empty, was already used, was made by another
    /// variable, or was made in another context. Strong guarantee.
    void reset(token<T>& t) const
    {
        if(t.var_ == nullptr)
        {
            detail::throw_token_error(name(), "the token is empty (default-constructed or moved from)");
        }
        if(t.used_)
        {
            detail::throw_token_error(name(), "the token has already been used");
        }
        if(t.var_ != this)
        {
            detail::throw_token_error(name(),
                ("the token was created by context_var " + detail::quoted(t.var_->name())).c_str());
        }
        if(!restore(t))
        {
            detail::throw_token_error(name(), "the token was created in a different context");
        }
    }

private:
    template<class U> friend class scoped_set;

    static T const& value_of(detail::value_node const* n) noexcept
    {
        return static_cast<detail::typed_value_node<T> const*>(n)->value;
    }

    detail::value_node const* lookup() const noexcept
    {
        detail::thread_state* s = detail::state();
        context* c = s->current;
        if(c == nullptr)
        {
            return nullptr;
        }
        detail::node const* r = detail::context_access::root(static_cast<context const&>(*c)).get();
        r = detail::part_for(r, detail::var_is_local(*this));
        return r ? detail::cached_find(s, r, index(), info()) : nullptr;
    }

    // Undoes the set() behind `t` if the current context is the one it was
    // made in; false (and nothing changed) otherwise.
    BOOST_FORCEINLINE bool restore(token<T>& t) const
    {
        detail::thread_state* s = detail::state();
        context* c = s->current;
        if(t.var_ == nullptr || c == nullptr || detail::context_access::id(*c) != t.context_)
        {
            return false;
        }
        if(t.old_ != nullptr)
        {
            detail::add_ref(t.old_); // for the map; the token keeps old_value() readable
        }
        detail::value_node* previous;
        try
        {
            // The context's identity is t.context_ (checked above): the
            // restored root is stamped with it, as the set() stamped its own.
            previous = detail::context_access::update(*c, s, index(), t.old_, detail::var_is_local(*this)).previous;
        }
        catch(...)
        {
            if(t.old_ != nullptr)
            {
                detail::release(t.old_);
            }
            throw;
        }
        t.used_ = true;
        if(previous != nullptr)
        {
            detail::release(previous);
        }
        return true;
    }

    std::optional<T> default_;
};

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_CONTEXT_VAR_HPP_INCLUDED
