#ifndef BOOST_CONTEXTVARS_FLOW_HPP_INCLUDED
#define BOOST_CONTEXTVARS_FLOW_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Control over what flows into new work: the per-variable policy `flow`
// (a flow::none variable stays where it was set) and the suppress_flow
// guard (nothing flows while it lives). Both act on captures for new work
// only: a posted function, a completion handler, a spawned coroutine, a
// bound callable. A coroutine's own resumptions and explicit copies
// (copy_context(), copying a context) keep everything. .NET:
// ExecutionContext.SuppressFlow(); Python: ContextVar(thread_inheritable=).

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/contextvars/detail/context_access.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/current_context.hpp>
#include <cstdint>

namespace boost {
namespace contextvars {

/// Whether a variable's values go along into new work.
enum class flow
{
    /// Into every capture: a posted function, a completion handler, a
    /// spawned coroutine, a bound callable (the default).
    copy,
    /// Only where it was set: kept across a coroutine's own suspensions and
    /// by explicit copies, left out of every capture for new work, which
    /// sees the variable's default, or no value.
    none
};

/// While one lives, the work started from the context that was current
/// when it was made starts with an empty context: posts, dispatches,
/// defers, completion handlers of operations initiated there, `co_spawn`
/// and `asio::spawn`, `bind_context`, and whole-program tracking's
/// operations. A coroutine's own resumptions and explicit copies are not
/// affected. Nestable. It belongs to the context it was made in, as .NET's
/// `AsyncFlowControl` belongs to its thread: it stops suppressing when that
/// context stops running (a handler's or a coroutine step's end, leaving
/// `context::run`), and destroying it after that (it was held across a
/// suspension) changes nothing and is reported in strict mode. Code that
/// runs in another context inside its scope (`context::run`) is not
/// suppressed, since the flow suppressed is that of one context.
class suppress_flow
{
public:
    suppress_flow():
        context_(&detail::writable_current_context(detail::state())),
        previous_(detail::context_access::suppressed_by(*context_)),
        serial_(next_serial())
    {
        detail::context_access::suppressed_by(*context_) = serial_;
    }

    suppress_flow(suppress_flow const&) = delete;
    suppress_flow& operator=(suppress_flow const&) = delete;

    ~suppress_flow()
    {
        // context_ is only read if it is the current context, which is
        // alive; a context that ended since may have left its address to
        // another, which never holds this guard's serial number.
        context* c = detail::current_context();
        if(c == context_ && detail::context_access::suppressed_by(*c) == serial_)
        {
            detail::context_access::suppressed_by(*c) = previous_;
        }
        else if(detail::strict_on())
        {
            try
            {
                detail::strict_report_violation(strict_violation::suppress_flow_misuse,
                    "suppress_flow destroyed outside the context it was made in (held across a coroutine's "
                    "suspension, or destroyed out of order): it stopped suppressing when that context stopped "
                    "running");
            }
            catch(...) // a destructor: the report is all that can be done
            {
            }
        }
    }

private:
    // Never 0, which means "no guard". Per thread: a guard is made on the
    // thread its context runs on, and only compared there.
    static std::uint32_t next_serial() noexcept
    {
        detail::flow_control_used.store(true, std::memory_order_relaxed);
        std::uint32_t& last = detail::state()->guard_serial;
        if(++last == 0)
        {
            ++last;
        }
        return last;
    }

    context* context_;
    std::uint32_t previous_;
    std::uint32_t serial_;
};

/// Whether a suppress_flow guard made in the current context is alive.
/// .NET: `ExecutionContext.IsFlowSuppressed()`.
inline bool is_flow_suppressed() noexcept
{
    context const* c = detail::current_context();
    return c != nullptr && detail::context_access::suppressed(*c);
}

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_FLOW_HPP_INCLUDED
