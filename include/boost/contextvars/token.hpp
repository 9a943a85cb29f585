#ifndef BOOST_CONTEXTVARS_TOKEN_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TOKEN_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// token<T>: what context_var<T>::set() returns, so that reset() can put the
// previous value back. Python: contextvars.Token.

#include <boost/contextvars/detail/value_node.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <cstdint>
#include <utility>

namespace boost {
namespace contextvars {

template<class T> class context_var;

/// Records one `set()`: the variable, the context it was made in, and the
/// value before it. Move-only; usable once. Python: `contextvars.Token`.
template<class T>
class token
{
public:
    /// An empty token; resetting with it throws `token_error`.
    token() noexcept = default;

    token(token const&) = delete;
    token& operator=(token const&) = delete;

    /// Takes over `other`'s record; `other` becomes empty.
    token(token&& other) noexcept:
        var_(std::exchange(other.var_, nullptr)), context_(std::exchange(other.context_, 0)),
        old_(std::exchange(other.old_, nullptr)), used_(std::exchange(other.used_, false))
    {
    }

    /// Takes over `other`'s record; `other` becomes empty.
    token& operator=(token&& other) noexcept
    {
        token(std::move(other)).swap(*this);
        return *this;
    }

    ~token()
    {
        if(old_ != nullptr)
        {
            detail::release(old_);
        }
    }

    /// The variable whose `set()` made this token. Throws `token_error` if
    /// the token is empty. Python: `Token.var`.
    context_var<T> const& var() const
    {
        if(var_ == nullptr)
        {
            detail::throw_empty_token_error(
                "token::var(): the token is empty (default-constructed or moved from), it has no context_var");
        }
        return *var_;
    }

    /// A pointer to the value the variable had before the `set()`, or null
    /// if it had none (Python's `Token.MISSING`). Valid while the token lives.
    T const* old_value() const noexcept
    {
        return old_ ? &static_cast<detail::typed_value_node<T> const*>(old_)->value : nullptr;
    }

    /// Whether `reset()` has consumed this token.
    bool used() const noexcept
    {
        return used_;
    }

    /// Whether the token records a `set()` (it is not empty).
    explicit operator bool() const noexcept
    {
        return var_ != nullptr;
    }

    void swap(token& other) noexcept
    {
        std::swap(var_, other.var_);
        std::swap(context_, other.context_);
        std::swap(old_, other.old_);
        std::swap(used_, other.used_);
    }

private:
    friend class context_var<T>;

    token(context_var<T> const* v, std::uint64_t ctx, detail::value_node* old) noexcept:
        var_(v), context_(ctx), old_(old)
    {
    }

    context_var<T> const* var_ = nullptr;
    std::uint64_t context_ = 0;
    detail::value_node* old_ = nullptr; // owned reference, or null for "no value"
    bool used_ = false;
};

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_TOKEN_HPP_INCLUDED
