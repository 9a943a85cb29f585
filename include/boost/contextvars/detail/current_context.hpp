// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Which context is current on the calling thread: the one a context::run()
// or a handler installed, else the thread's base context, which exists only
// once something was set outside every context. Reading the current context
// never creates the base context; writing to it does.

// context.hpp comes first, outside this header's guard: it includes this
// header at its end, once class context is complete.
#include <boost/contextvars/context.hpp>

#ifndef BOOST_CONTEXTVARS_DETAIL_CURRENT_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_CURRENT_CONTEXT_HPP_INCLUDED

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/context_access.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/snapshot.hpp>

namespace boost {
namespace contextvars {
namespace detail {

/// A thread's context before anything entered one. It needs a destructor (it
/// may hold values at thread exit), so it lives apart from thread_state and is
/// reached only through this non-inlinable function, which every module of
/// the program shares (default visibility), so a thread has one base context.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_NOINLINE inline context& base_context()
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

/// The values of the current context.
BOOST_FORCEINLINE snapshot current_snapshot() noexcept
{
    context* c = current_context();
    return c ? context_access::root(static_cast<context const&>(*c)) : snapshot();
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_CURRENT_CONTEXT_HPP_INCLUDED
