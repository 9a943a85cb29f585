#ifndef BOOST_CONTEXTVARS_SCOPED_SET_HPP_INCLUDED
#define BOOST_CONTEXTVARS_SCOPED_SET_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// scoped_set: set() on construction, reset() on destruction. The Python
// spelling is a try/finally around var.set()/var.reset(token).

#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/token.hpp>
#include <utility>

namespace boost {
namespace contextvars {

/// Gives `var` a value for the lifetime of the guard.
///
/// The destructor never throws. It restores the previous value if the
/// context current at destruction is the one the guard was made in (a
/// coroutine stays one context across its suspensions, so a guard that spans
/// a `co_await` restores cleanly). If another context is current, or the
/// token was already used through `get_token()`, it does nothing: the value stays
/// in the context where it was set, which is not the current one. If the
/// restore runs out of memory, the value likewise stays set.
template<class T>
class scoped_set
{
public:
    /// Calls `var.set(std::move(value))`. Takes `T` by value, as `set()`
    /// does, so it accepts exactly what `set()` accepts: implicit
    /// conversions only (no explicit constructor of `T` is called).
    scoped_set(context_var<T> const& var, T value): var_(var), token_(var.set(std::move(value)))
    {
    }

    scoped_set(scoped_set const&) = delete;
    scoped_set& operator=(scoped_set const&) = delete;

    ~scoped_set()
    {
        if(token_ && !token_.used())
        {
            try
            {
                if(!var_.restore(token_) && detail::strict_on())
                {
                    detail::strict_report_violation(strict_violation::scoped_set_in_foreign_context,
                        "scoped_set for context_var " + detail::quoted(var_.name()) +
                        " destroyed in another context: its value stays set in the context where it was made");
                }
            }
            catch(...)
            {
            }
        }
    }

    /// The token of the `set()`; resetting it by hand, or moving it out,
    /// makes the destructor do nothing.
    token<T>& get_token() noexcept
    {
        return token_;
    }

private:
    context_var<T> const& var_;
    token<T> token_;
};

// `T` comes from the variable alone; the value then converts as for set().
template<class T, class U>
scoped_set(context_var<T> const&, U&&) -> scoped_set<T>;

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_SCOPED_SET_HPP_INCLUDED
