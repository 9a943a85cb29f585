#ifndef BOOST_CONTEXTVARS_ASIO_CONTEXT_EXECUTOR_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_CONTEXT_EXECUTOR_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// context_executor<Executor>: an Asio executor adapter under which every
// function runs in a copy of the right context. There are two capture points.
// A submission (execute, hence post/dispatch/defer) captures the context
// current at the call. Asio starts every asynchronous operation by asking for
// the executor's outstanding_work.tracked form; that form remembers ("pins")
// the context current at initiation, and the completion handler later
// executed through it runs in a copy of that context. This is asyncio's
// call_soon / add_done_callback rule, expressed in Asio's own vocabulary.

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/map.hpp>
#include <boost/contextvars/asio/detail/asio_internals.hpp>
#include <boost/contextvars/asio/detail/executor_pin.hpp>
#include <boost/contextvars/asio/detail/executor_properties.hpp>
#include <boost/contextvars/asio/detail/packed_capture.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {

template<class Executor> class context_executor;

namespace detail {

// The function a context_executor hands to the inner executor: the user's
// function and the capture it must run with, moved in and moved out once.
template<class F>
class context_invoker
{
public:
    template<class G>
    context_invoker(G&& f, packed_capture c): f_(std::forward<G>(f)), values_(std::move(c))
    {
    }

    context_invoker(context_invoker&&) = default;

    // Force-inlined, as the call is: Asio destroys the invoker where it
    // runs it, and the capture, moved out by then, costs only a test.
    BOOST_FORCEINLINE ~context_invoker() = default;

    // Force-inlined, as run_on is: no call per handler beyond the user's.
    BOOST_FORCEINLINE void operator()()
    {
        run_in(values_.take_context(), std::move(f_));
    }

private:
    F f_;
    packed_capture values_; // one word: the operation stays as small as it can
};

template<class T> struct is_context_executor: std::false_type {};
template<class E> struct is_context_executor<context_executor<E>>: std::true_type {};
} // namespace detail

/// Wraps an executor so that every function it runs sees the right context:
/// the one current at submission, or, for a completion, at the initiation of
/// the operation. Satisfies the same standard-executor properties as
/// `Executor` and is compared by inner executor and captured context.
template<class Executor>
class context_executor: private detail::pin_storage::executor_pin<detail::can_pin_v<Executor>>
{
    using pin_base = detail::pin_storage::executor_pin<detail::can_pin_v<Executor>>;

    template<class E>
    using if_wrappable_t = std::enable_if_t<!detail::is_context_executor<E>::value, int>;

    template<class Property>
    using require_result_t = detail::rewrap_result_t<detail::require_fn, Executor const&, Property>;

    template<class Property>
    using prefer_result_t = detail::rewrap_result_t<detail::prefer_fn, Executor const&, Property>;

public:
    using inner_executor_type = Executor;

    /// Wraps `ex` (anything `Executor` can be constructed from, other than a
    /// context_executor: wrapping twice would capture twice).
    template<class E, if_wrappable_t<E> = 0, std::enable_if_t<std::is_constructible_v<Executor, E const&>, int> = 0>
    explicit context_executor(E const& ex) noexcept(std::is_nothrow_constructible_v<Executor, E const&>): ex_(ex)
    {
    }

    /// Wraps `ctx.get_executor()`: `context_executor ex(io_context);`.
    template<class ExecutionContext, if_wrappable_t<ExecutionContext> = 0,
        std::enable_if_t<std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>, long> = 0>
    explicit context_executor(ExecutionContext& ctx): ex_(ctx.get_executor())
    {
    }

    /// Converts from a context executor over a compatible executor, keeping
    /// any pinned context.
    template<class Other,
        std::enable_if_t<!std::is_same_v<Other, Executor> && std::is_convertible_v<Other const&, Executor>, int> = 0>
    context_executor(context_executor<Other> const& other): pin_base(other.pin()), ex_(other.get_inner_executor())
    {
    }

    context_executor(context_executor const&) = default;
    context_executor(context_executor&&) = default;
    context_executor& operator=(context_executor const&) = default;
    context_executor& operator=(context_executor&&) = default;

    // Inlined on purpose: Asio's post() makes a temporary per property it
    // requires, and an out-of-line destructor for each cost more than the
    // rest of the wrapper.
    BOOST_FORCEINLINE ~context_executor() = default;

    /// The wrapped executor.
    Executor const& get_inner_executor() const noexcept
    {
        return ex_;
    }

    /// Whether this executor carries a context captured when outstanding work
    /// was tracked (at the initiation of an asynchronous operation).
    bool is_pinned() const noexcept
    {
        return pin_base::pinned();
    }

    /// Runs `f` on the inner executor: a completion (the executor is pinned)
    /// continues the context current at initiation, so a coroutine resumes
    /// in its own context; a submitted function runs in a new context with
    /// the values current now.
    ///
    /// With whole-program tracking, Asio's own hook already captures every
    /// submission, so a submitted function is passed through as it is (it
    /// then runs as on the inner executor: inline dispatch in the caller's
    /// context); only a pinned completion installs its pin, so that an
    /// awaited co_spawn resumes its awaiter in the awaiter's context.
    template<class F>
    void execute(F&& f) const
    {
        using function = std::decay_t<F>;
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
        if(!pin_base::pinned())
        {
            ex_.execute(std::forward<F>(f));
            return;
        }
#endif
        ex_.execute(detail::context_invoker<function>(std::forward<F>(f),
            pin_base::pinned() ? pin_base::pin() : detail::submission_capture<function>()));
    }

    /// Forwards every query to the inner executor.
    template<class Property>
    auto query(Property const& p) const noexcept(noexcept(boost::asio::query(std::declval<Executor const&>(), p)))
        -> decltype(boost::asio::query(std::declval<Executor const&>(), p))
    {
        return boost::asio::query(ex_, p);
    }

    /// Applies `p` to the inner executor; the pinned context is kept (also
    /// by `blocking.never`: Asio's channel and composed operations post
    /// completions through the work executor that way), except that
    /// `outstanding_work.untracked` drops it and `outstanding_work.tracked`
    /// pins the context current now. An rvalue executor is moved from.
    template<class Property>
    auto require(Property const& p) const& -> require_result_t<Property> { return rewrap(detail::require_fn(), *this, p); }
    template<class Property>
    auto require(Property const& p) && -> require_result_t<Property> { return rewrap(detail::require_fn(), std::move(*this), p); }

    /// As `require`, for a preference.
    template<class Property>
    auto prefer(Property const& p) const& -> prefer_result_t<Property> { return rewrap(detail::prefer_fn(), *this, p); }
    template<class Property>
    auto prefer(Property const& p) && -> prefer_result_t<Property> { return rewrap(detail::prefer_fn(), std::move(*this), p); }

    friend bool operator==(context_executor const& a, context_executor const& b) noexcept
    {
        return a.ex_ == b.ex_ && static_cast<pin_base const&>(a) == static_cast<pin_base const&>(b);
    }

    friend bool operator!=(context_executor const& a, context_executor const& b) noexcept
    {
        return !(a == b);
    }

private:
    template<class> friend class context_executor;

    struct with_pin_t
    {
    };

    // Built in one step: Asio's post() rewraps once per property, so a
    // default-constructed pin assigned afterwards would cost on every handler.
    template<class E, class P>
    context_executor(with_pin_t, E&& ex, P&& p): pin_base(std::forward<P>(p)), ex_(std::forward<E>(ex))
    {
    }

    // The executor after a property change, from `self` (*this, copied or
    // moved from as the caller could afford): its pin goes along, except
    // that outstanding_work.tracked pins the current context and
    // outstanding_work.untracked unpins.
    template<class Fn, class Self, class Property>
    static auto rewrap(Fn fn, Self&& self, Property const& p)
    {
        auto inner = fn(std::forward<Self>(self).ex_, detail::unwrap_property(p));
        using result = context_executor<decltype(inner)>;
        using with_pin = typename result::with_pin_t;
        if constexpr(detail::pins<Property>::value)
        {
#if defined(BOOST_CONTEXTVARS_HANDLER_TRACKING)
            // Tells the tracking hooks that a completion started here is
            // bound (an awaited co_spawn on this executor is not reported).
            detail::state()->completion_pinned = true;
#endif
            return result(with_pin(), std::move(inner), detail::pin_capture());
        }
        else if constexpr(detail::unpins<Property>::value || !detail::can_pin_v<typename result::inner_executor_type>)
        {
            return result(with_pin(), std::move(inner), detail::packed_capture());
        }
        else
        {
            return result(with_pin(), std::move(inner), std::forward<Self>(self).pin_base::pin());
        }
    }

    Executor ex_;
};

template<class ExecutionContext,
    std::enable_if_t<std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>, int> = 0>
context_executor(ExecutionContext&) -> context_executor<typename ExecutionContext::executor_type>;

// `context_executor ex{io.get_executor()}`, `{asio::make_strand(io)}`, `{any_io_executor}`:
// an executor (anything that is not an execution context, nor already a
// context_executor) is wrapped as it is.
template<class Executor, std::enable_if_t<!detail::is_context_executor<Executor>::value &&
    !std::is_convertible_v<Executor&, boost::asio::execution_context&>, int> = 0>
context_executor(Executor const&) -> context_executor<Executor>;

/// `context_executor<Executor>(ex)`.
template<class Executor>
context_executor<Executor> make_context_executor(Executor const& ex)
{
    return context_executor<Executor>(ex);
}

/// `context_executor<typename ExecutionContext::executor_type>(ctx)`.
template<class ExecutionContext,
    std::enable_if_t<std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>, int> = 0>
context_executor<typename ExecutionContext::executor_type> make_context_executor(ExecutionContext& ctx)
{
    return context_executor<typename ExecutionContext::executor_type>(ctx.get_executor());
}

} // namespace contextvars

namespace asio {

// A strand built over a context_executor would run every queued function in
// the context of whichever submission started the strand's turn. Wrapping
// the other way round gives each function its own context.
template<class Executor>
class strand<contextvars::context_executor<Executor>>
{
    static_assert(sizeof(Executor) == 0,
        "strand<context_executor<E>> would run queued functions in the wrong context: "
        "use context_executor<strand<E>> instead (wrap the strand, not the other way round)");
};

} // namespace asio
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_CONTEXT_EXECUTOR_HPP_INCLUDED
