#ifndef BOOST_CONTEXTVARS_OPENTELEMETRY_HPP_INCLUDED
#define BOOST_CONTEXTVARS_OPENTELEMETRY_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// An OpenTelemetry C++ runtime context storage whose stack of attached
// contexts lives in a context_var, so that the current span and baggage
// (RuntimeContext::GetCurrent, trace::Scope, Tracer::WithActiveSpan,
// baggage::GetBaggage) follow Asio handlers and coroutines the way every
// other context variable does, instead of staying with the thread as
// OpenTelemetry's default thread-local stack does. Needs only the header-only
// OpenTelemetry API (opentelemetry-cpp's api/include).

#include <boost/contextvars/context_var.hpp>
#include <opentelemetry/context/context.h>
#include <opentelemetry/context/runtime_context.h>
#include <opentelemetry/nostd/shared_ptr.h>
#include <opentelemetry/nostd/unique_ptr.h>
#include <memory>
#include <utility>

namespace boost {
namespace contextvars {
namespace otel {

namespace detail {

// One attached OpenTelemetry context and the stack below it. Frames are
// immutable once linked, so a stack is shared, not copied, by every context
// that captured it: attaching is one allocation and one set().
struct frame
{
    opentelemetry::context::Context value;
    std::shared_ptr<frame const> below;

    frame(opentelemetry::context::Context const& v, std::shared_ptr<frame const> b) noexcept:
        value(v), below(std::move(b))
    {
    }

    frame(frame const&) = delete;
    frame& operator=(frame const&) = delete;

    // Unlinks a long, unshared tail one frame at a time: the default
    // destructor would recurse once per frame.
    ~frame()
    {
        while(below && below.use_count() == 1)
        {
            std::shared_ptr<frame const> next = std::move(const_cast<frame&>(*below).below);
            below = std::move(next);
        }
    }
};

using stack = std::shared_ptr<frame const>;

} // namespace detail

class thread_context;

/// An `opentelemetry::context::RuntimeContextStorage` that keeps the stack
/// of attached contexts in a `context_var`: each context (each coroutine
/// spawned on a `context_executor`, each handler bound to a context) has its
/// own stack, and a handler sees the stack of the context it was bound to.
/// `Detach` has the semantics of OpenTelemetry's `ThreadLocalContextStorage`,
/// applied to the current context's stack. Reads take no lock.
class context_storage: public opentelemetry::context::RuntimeContextStorage
{
public:
    /// A storage with its own, empty, stack in every context.
    context_storage(): stack_("opentelemetry.context") {}

    /// The context on top of the current context's stack; an empty context
    /// when nothing is attached.
    opentelemetry::context::Context GetCurrent() noexcept override
    {
        detail::stack const* s = stack_.try_get();
        return s != nullptr && *s ? (*s)->value : opentelemetry::context::Context();
    }

    /// Pushes `ctx` on the current context's stack. Returns the token that
    /// `Detach` takes (never null). If memory runs out, nothing is pushed and
    /// detaching the token returns false.
    opentelemetry::nostd::unique_ptr<opentelemetry::context::Token> Attach(
        opentelemetry::context::Context const& ctx) noexcept override
    {
        try
        {
            // Made non-const (and only handed out as const): ~frame may unlink it.
            stack_.set(std::make_shared<detail::frame>(ctx, top()));
        }
        catch(...)
        {
        }
        return CreateToken(ctx);
    }

    /// As `ThreadLocalContextStorage::Detach`: pops the topmost frame equal to
    /// `token`'s context and every frame above it, and returns true; returns
    /// false, changing nothing, when the current context's stack holds no
    /// such frame (it was detached already, or attached in another context).
    bool Detach(opentelemetry::context::Token& token) noexcept override
    {
        detail::stack s = top();
        for(detail::frame const* f = s.get(); f != nullptr; f = f->below.get())
        {
            if(token == f->value)
            {
                try
                {
                    stack_.set(f->below);
                }
                catch(...)
                {
                    return false; // out of memory: the stack is unchanged
                }
                return true;
            }
        }
        return false;
    }

    /// The number of contexts attached in the current context.
    std::size_t depth() const noexcept
    {
        std::size_t n = 0;
        for(detail::frame const* f = top().get(); f != nullptr; f = f->below.get())
        {
            ++n;
        }
        return n;
    }

private:
    friend class thread_context; // publishes the stack's top span (otel_thread_context.hpp)

    detail::stack top() const noexcept
    {
        detail::stack const* s = stack_.try_get();
        return s != nullptr ? *s : detail::stack();
    }

    context_var<detail::stack> stack_;
};

/// Makes a new `context_storage` the process's OpenTelemetry runtime context
/// storage and returns it. As OpenTelemetry requires of any storage, call it
/// before any span is made current: contexts attached in the previous
/// storage are not carried over.
inline opentelemetry::nostd::shared_ptr<context_storage> install()
{
    std::shared_ptr<context_storage> s = std::make_shared<context_storage>();
    opentelemetry::context::RuntimeContext::SetRuntimeContextStorage(
        opentelemetry::nostd::shared_ptr<opentelemetry::context::RuntimeContextStorage>(
            std::shared_ptr<opentelemetry::context::RuntimeContextStorage>(s)));
    return opentelemetry::nostd::shared_ptr<context_storage>(std::move(s));
}

} // namespace otel
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_OPENTELEMETRY_HPP_INCLUDED
