#ifndef BOOST_CONTEXTVARS_ASIO_RETURN_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_RETURN_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// return_context(token): a completion token adapter for co_spawn and
// asio::spawn whose handler also receives the context the spawned coroutine
// ended in, as asyncio's Task.get_context() lets a parent look at what its
// child ended with. The child runs as before, in a copy of its spawner's
// context; the spawner's own context is untouched, and merging what the
// child set is the caller's choice. The adapter re-issues the spawn with the
// coroutine wrapped in one that awaits it (or, stackful, calls it) and
// copies the context at its end, also when it throws, into a slot the
// handler reads: the wrapper runs in the child's own context, in either
// propagation mode, so what it copies is what the child ended with. Only
// the documented shape of a spawn's initiation is used: it is called with a
// handler and the function to run; the spawn's own signature is unchanged.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#if BOOST_CONTEXTVARS_HAS_COROUTINES && defined(BOOST_ASIO_HAS_CO_AWAIT)
# include <boost/asio/awaitable.hpp>
#endif

namespace boost {
namespace contextvars {

/// The token return_context(token) makes. `token` is the one it adapts.
template<class Token>
struct return_context_t
{
    Token token;
};

/// Adapts `token` for co_spawn and asio::spawn: the completion signature
/// `void(std::exception_ptr, T)` becomes `void(std::exception_ptr, context,
/// T)`, and `void(std::exception_ptr)` becomes `void(std::exception_ptr,
/// context)`, where the context is the one the spawned coroutine ended in,
/// also when it ended with an exception. With `use_awaitable`,
/// `auto [ctx, v] = co_await co_spawn(ex, f(), return_context(use_awaitable));`.
template<class Token>
return_context_t<typename std::decay<Token>::type> return_context(Token&& token)
{
    return {std::forward<Token>(token)};
}

namespace detail {

// Where the wrapped coroutine leaves its final context for the handler. The
// spawn's completion signature stays Asio's; the handler adds the context.
struct final_context_slot
{
    context value;
};

using final_context = std::shared_ptr<final_context_slot>;

// The handler Asio gets: it adds the final context for the user's handler.
template<class Handler>
class outcome_handler
{
public:
    template<class H>
    outcome_handler(H&& h, final_context slot): handler_(std::forward<H>(h)), slot_(std::move(slot))
    {
    }

    template<class... Args>
    void operator()(std::exception_ptr e, Args&&... args)
    {
        context c = std::move(slot_->value);
        slot_.reset();
        std::move(handler_)(std::move(e), std::move(c), std::forward<Args>(args)...);
    }

    Handler const& handler() const noexcept
    {
        return handler_;
    }

private:
    Handler handler_;
    final_context slot_;
};

// asio::spawn's function, wrapped: calls the body and copies the context at
// its end, also when it throws.
template<class Function>
class stackful_with_context
{
public:
    stackful_with_context(Function f, final_context slot): function_(std::move(f)), slot_(std::move(slot)) {}

    template<class Yield>
    auto operator()(Yield const& yield) -> decltype(std::declval<Function&>()(yield))
    {
        at_end copy{slot_.get()};
        return function_(yield);
    }

private:
    struct at_end
    {
        final_context_slot* slot;

        ~at_end()
        {
            slot->value = copy_context();
        }
    };

    Function function_;
    final_context slot_;
};

#if BOOST_CONTEXTVARS_HAS_COROUTINES && defined(BOOST_ASIO_HAS_CO_AWAIT)

// co_spawn's coroutine, wrapped: awaits it and copies the context at its end,
// also when it throws.
template<class T, class Executor, class Function>
boost::asio::awaitable<T, Executor> awaited_with_context(Function f, final_context slot)
{
    std::exception_ptr error;
    if constexpr(std::is_void<T>::value)
    {
        try
        {
            co_await f();
        }
        catch(...)
        {
            error = std::current_exception();
        }
        slot->value = copy_context();
        if(error)
        {
            std::rethrow_exception(error);
        }
    }
    else
    {
        std::optional<T> result;
        try
        {
            result.emplace(co_await f());
        }
        catch(...)
        {
            error = std::current_exception();
        }
        slot->value = copy_context();
        if(error)
        {
            std::rethrow_exception(error);
        }
        co_return std::move(*result);
    }
}

template<class T, class Executor, class Function>
class coroutine_with_context
{
public:
    coroutine_with_context(Function f, final_context slot): function_(std::move(f)), slot_(std::move(slot)) {}

    boost::asio::awaitable<T, Executor> operator()()
    {
        return awaited_with_context<T, Executor>(std::move(function_), std::move(slot_));
    }

private:
    Function function_;
    final_context slot_;
};

template<class F, class = void>
struct awaitable_function: std::false_type
{
};

template<class F>
struct awaitable_function<F, std::void_t<typename std::invoke_result<F&>::type::executor_type>>: std::true_type
{
};

#endif

// The spawn's initiation, re-issued with the wrapped function and handler.
template<class Initiation>
class return_context_initiation
{
public:
    template<class I>
    explicit return_context_initiation(I&& init): init_(std::forward<I>(init))
    {
    }

    template<class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args) &&
    {
        final_context slot = std::make_shared<final_context_slot>();
        outcome_handler<typename std::decay<Handler>::type> h(std::forward<Handler>(handler), slot);
        initiate(std::move(h), std::move(slot), std::forward<Args>(args)...);
    }

private:
    template<class Handler>
    void initiate(Handler&& h, final_context)
    {
        std::move(init_)(std::forward<Handler>(h)); // Asio's concept checks call it so
    }

    template<class Handler, class F, class... Rest>
    void initiate(Handler&& h, final_context slot, F&& f, Rest&&... rest)
    {
        using function_type = typename std::decay<F>::type;
#if BOOST_CONTEXTVARS_HAS_COROUTINES && defined(BOOST_ASIO_HAS_CO_AWAIT)
        if constexpr(awaitable_function<function_type>::value)
        {
            using awaitable_type = typename std::invoke_result<function_type&>::type;
            std::move(init_)(std::forward<Handler>(h),
                coroutine_with_context<typename awaitable_type::value_type, typename awaitable_type::executor_type,
                    function_type>(std::forward<F>(f), std::move(slot)),
                std::forward<Rest>(rest)...);
        }
        else
#endif
        {
            std::move(init_)(std::forward<Handler>(h),
                stackful_with_context<function_type>(std::forward<F>(f), std::move(slot)),
                std::forward<Rest>(rest)...);
        }
    }

    Initiation init_;
};

} // namespace detail
} // namespace contextvars

namespace asio {

template<class Token, class T>
struct async_result<contextvars::return_context_t<Token>, void(std::exception_ptr, T)>
{
    template<class Initiation, class RawToken, class... Args>
    static auto initiate(Initiation&& initiation, RawToken&& token, Args&&... args)
        -> decltype(async_initiate<Token, void(std::exception_ptr, contextvars::context, T)>(
            std::declval<contextvars::detail::return_context_initiation<typename std::decay<Initiation>::type>>(),
            std::declval<RawToken&>().token, std::declval<Args>()...))
    {
        return async_initiate<Token, void(std::exception_ptr, contextvars::context, T)>(
            contextvars::detail::return_context_initiation<typename std::decay<Initiation>::type>(
                std::forward<Initiation>(initiation)),
            token.token, std::forward<Args>(args)...);
    }
};

template<class Token>
struct async_result<contextvars::return_context_t<Token>, void(std::exception_ptr)>
{
    template<class Initiation, class RawToken, class... Args>
    static auto initiate(Initiation&& initiation, RawToken&& token, Args&&... args)
        -> decltype(async_initiate<Token, void(std::exception_ptr, contextvars::context)>(
            std::declval<contextvars::detail::return_context_initiation<typename std::decay<Initiation>::type>>(),
            std::declval<RawToken&>().token, std::declval<Args>()...))
    {
        return async_initiate<Token, void(std::exception_ptr, contextvars::context)>(
            contextvars::detail::return_context_initiation<typename std::decay<Initiation>::type>(
                std::forward<Initiation>(initiation)),
            token.token, std::forward<Args>(args)...);
    }
};

// The handler Asio gets has the associations of the user's.
template<template<typename, typename> class Associator, class Handler, class DefaultCandidate>
struct associator<Associator, contextvars::detail::outcome_handler<Handler>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate>
{
    static typename Associator<Handler, DefaultCandidate>::type get(
        contextvars::detail::outcome_handler<Handler> const& h) noexcept
    {
        return Associator<Handler, DefaultCandidate>::get(h.handler());
    }

    static auto get(contextvars::detail::outcome_handler<Handler> const& h, DefaultCandidate const& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler(), c))
    {
        return Associator<Handler, DefaultCandidate>::get(h.handler(), c);
    }
};

} // namespace asio
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_RETURN_CONTEXT_HPP_INCLUDED
