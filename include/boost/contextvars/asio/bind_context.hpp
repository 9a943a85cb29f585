#ifndef BOOST_CONTEXTVARS_ASIO_BIND_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_BIND_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// bind_context(token) as an Asio completion token. The initiation is wrapped
// (as bind_executor and consign do) so that the context is captured when the
// operation is initiated, which for deferred or use_awaitable is when it is
// launched or awaited, not when the token was written. The handler then runs
// in a copy of that context. Associated executor, allocator and cancellation
// slot are those of the wrapped handler.

#include <boost/contextvars/bind_context.hpp>
#include <boost/contextvars/asio/context_executor.hpp>
#include <boost/contextvars/asio/detail/asio_internals.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

using asio_internals::resumes_coroutine;

#if BOOST_CONTEXTVARS_HAS_COROUTINES && defined(BOOST_ASIO_HAS_CO_AWAIT)
using asio_internals::is_co_spawn_initiation;
#endif

#if BOOST_CONTEXTVARS_HAS_COROUTINES && defined(BOOST_ASIO_HAS_CO_AWAIT)

// The coroutine's own executor for co_spawn(plain_ex, f, bind_context(t)):
// the same executor under a context_executor. Executors Asio's
// any_io_executor knows (io_context's and thread_pool's) are unwrapped and
// rewrapped so that the result stays in any_io_executor's small buffer; any
// other executor is wrapped as it is.
template<class AwaitableExecutor>
AwaitableExecutor context_aware(AwaitableExecutor const& ex)
{
    static_assert(std::is_constructible<AwaitableExecutor, context_executor<AwaitableExecutor>>::value,
        "co_spawn with a bind_context completion token needs an awaitable whose executor type can hold "
        "a context_executor (such as the default any_io_executor); otherwise spawn on a context_executor");
    using any = boost::asio::any_io_executor;
    if constexpr(std::is_same<AwaitableExecutor, any>::value)
    {
        if(auto const* io = ex.template target<boost::asio::io_context::executor_type>())
        {
            return any(context_executor<boost::asio::io_context::executor_type>(*io));
        }
        if(auto const* tp = ex.template target<boost::asio::thread_pool::executor_type>())
        {
            return any(context_executor<boost::asio::thread_pool::executor_type>(*tp));
        }
        if(ex.template target<context_executor<boost::asio::io_context::executor_type>>() ||
           ex.template target<context_executor<boost::asio::thread_pool::executor_type>>())
        {
            return ex;
        }
    }
    return AwaitableExecutor(context_executor<AwaitableExecutor>(ex));
}
#endif

template<class Initiation>
class context_initiation
{
public:
    template<class I>
    context_initiation(I&& init, capture s, bool explicit_context):
        init_(std::forward<I>(init)), values_(std::move(s)), explicit_(explicit_context)
    {
    }

    template<class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args) &&
    {
        initiate(std::move(init_), std::forward<Handler>(handler), std::forward<Args>(args)...);
    }

    template<class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args) const&
    {
        initiate(init_, std::forward<Handler>(handler), std::forward<Args>(args)...);
    }

private:
    template<class I, class Handler, class... Args>
    void initiate(I&& init, Handler&& handler, Args&&... args) const
    {
        using handler_type = typename std::decay<Handler>::type;
        // Under whole-program tracking too: tracking captures the same values
        // at initiation, but a handler it runs from a coroutine's step
        // continues the coroutine's context, and bind_context(cb) promises cb
        // a new one. A handler that resumes a coroutine is passed through
        // below either way.
        capture values = explicit_ ? values_ : capture_current(false);
#if BOOST_CONTEXTVARS_HAS_COROUTINES && defined(BOOST_ASIO_HAS_CO_AWAIT)
        if constexpr(is_co_spawn_initiation<Initiation>::value)
        {
            // Re-issue the spawn on a context-aware executor, from inside the
            // chosen context: the body starts in a copy of it and keeps its
            // own context. The completion runs in `values` too, except that
            // a coroutine awaiting the spawn resumes in its own context, the
            // one current now: co_spawn pins the handler's executor inside
            // run_on, so the binder must carry the awaiter's values itself.
            using executor_type = typename Initiation::executor_type;
            Initiation aware(context_aware<executor_type>(init.get_executor()));
            capture completion = resumes_coroutine<handler_type>::value ? capture_current_resumption() : values;
            run_on(std::move(values), [&] {
                std::move(aware)(binder_access::make<handler_type>(std::forward<Handler>(handler),
                    std::move(completion), explicit_), std::forward<Args>(args)...);
            });
            return;
        }
        else
#endif
        if constexpr(resumes_coroutine<handler_type>::value)
        {
            std::forward<I>(init)(std::forward<Handler>(handler), std::forward<Args>(args)...);
        }
        else
        {
            std::forward<I>(init)(binder_access::make<handler_type>(std::forward<Handler>(handler), std::move(values),
                explicit_), std::forward<Args>(args)...);
        }
    }

    Initiation init_;
    capture values_;
    bool explicit_;
};

// What Asio's handler type checks see as the handler behind a bound token.
template<class T, class Signature, class = void>
struct completion_handler_of
{
    using type = T;
};

template<class T, class Signature>
struct completion_handler_of<T, Signature,
    std::void_t<typename boost::asio::async_result<T, Signature>::completion_handler_type>>
{
    using type = typename boost::asio::async_result<T, Signature>::completion_handler_type;
};

// Asio's adapters (redirect_error, bind_cancellation_slot, ...) read the
// legacy return_type of the token they wrap: forward the inner one.
template<class T, class Signature, class = void>
struct return_type_of
{
};

template<class T, class Signature>
struct return_type_of<T, Signature, std::void_t<typename boost::asio::async_result<T, Signature>::return_type>>
{
    using return_type = typename boost::asio::async_result<T, Signature>::return_type;
};

// The rest of the legacy async_result interface, when the wrapped token's
// async_result has it: a constructor from the completion handler and get().
// Asio's adapters declare them whenever the target has a
// completion_handler_type (Boost 1.92's bind_cancellation_slot declares
// `auto get() -> decltype(target_.get())` then, a hard error without it).
// They are only declared here; the initiate() path never calls them.
template<class T, class Signature, class = void>
struct legacy_result_of
{
};

template<class T, class Signature>
struct legacy_result_of<T, Signature,
    std::void_t<typename boost::asio::async_result<T, Signature>::completion_handler_type>>
{
    using target_type = boost::asio::async_result<T, Signature>;

    explicit legacy_result_of(context_binder<typename target_type::completion_handler_type>& h):
        target_(h.get())
    {
    }

    auto get() -> decltype(std::declval<target_type&>().get())
    {
        return target_.get();
    }

private:
    target_type target_;
};

template<class... Signatures> struct first_signature { using type = void; };
template<class S, class... Rest> struct first_signature<S, Rest...> { using type = S; };

} // namespace detail
} // namespace contextvars

namespace asio {

template<class T, class... Signatures>
struct async_result<contextvars::context_binder<T>, Signatures...>:
    contextvars::detail::return_type_of<T, typename contextvars::detail::first_signature<Signatures...>::type>,
    contextvars::detail::legacy_result_of<T, typename contextvars::detail::first_signature<Signatures...>::type>
{
    using contextvars::detail::legacy_result_of<T,
        typename contextvars::detail::first_signature<Signatures...>::type>::legacy_result_of;

    // For Asio's compile-time handler checks (BOOST_ASIO_*_HANDLER_CHECK).
    using completion_handler_type = contextvars::context_binder<typename contextvars::detail::completion_handler_of<
        T, typename contextvars::detail::first_signature<Signatures...>::type>::type>;

    template<class Initiation, class RawToken, class... Args>
    static auto initiate(Initiation&& initiation, RawToken&& token, Args&&... args)
        -> decltype(async_initiate<T, Signatures...>(
            std::declval<contextvars::detail::context_initiation<typename std::decay<Initiation>::type>>(),
            std::declval<RawToken>().get(), std::declval<Args>()...))
    {
        return async_initiate<T, Signatures...>(
            contextvars::detail::context_initiation<typename std::decay<Initiation>::type>(
                std::forward<Initiation>(initiation),
                contextvars::detail::binder_access::has_explicit_context(token) ?
                    contextvars::detail::binder_access::captured(token) : contextvars::detail::capture(),
                contextvars::detail::binder_access::has_explicit_context(token)),
            std::forward<RawToken>(token).get(), std::forward<Args>(args)...);
    }
};

template<template<class, class> class Associator, class T, class DefaultCandidate>
struct associator<Associator, contextvars::context_binder<T>, DefaultCandidate>: Associator<T, DefaultCandidate>
{
    static typename Associator<T, DefaultCandidate>::type get(contextvars::context_binder<T> const& b) noexcept
    {
        return Associator<T, DefaultCandidate>::get(b.get());
    }

    static auto get(contextvars::context_binder<T> const& b, DefaultCandidate const& c) noexcept
        -> decltype(Associator<T, DefaultCandidate>::get(b.get(), c))
    {
        return Associator<T, DefaultCandidate>::get(b.get(), c);
    }
};

} // namespace asio
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_BIND_CONTEXT_HPP_INCLUDED
