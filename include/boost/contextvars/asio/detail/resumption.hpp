#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_RESUMPTION_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_RESUMPTION_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Which handlers resume a coroutine: a coroutine's own continuation, which
// keeps everything of its context (its identity, its flow::none values, and
// it is never suppressed), as opposed to new work; and which work Asio
// erased the type of, so that neither can be told. Recognised by type,
// anywhere inside the handler, operation or function Asio passes around
// (as_tuple_handler<awaitable_handler<...>>, an operation holding a
// work_dispatcher holding a binder holding one, ...), by a walk over its
// template arguments that only matches names, so it never instantiates
// anything. Whole-program tracking asks it of each operation it sees
// created, before Asio declares these names, so they are declared here,
// without default arguments, for Asio's own declarations to add theirs;
// their shapes per version are in asio_version.hpp.
//   awaitable_handler<E, T...> (use_awaitable): every version;
//   spawn_handler (a yield_context) and awaitable_async_op_handler (co_await
//   of an operation): the shape asio_version.hpp gives, verified versions;
//   erased: executor_function, executor_function_view (what any_io_executor
//   and the other polymorphic executors submit) and any_completion_handler.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/asio/detail/asio_version.hpp>
#include <type_traits>

namespace boost {
namespace asio {

template<typename... Signatures> class any_completion_handler;

namespace detail {

class executor_function;
class executor_function_view;
template<typename, typename...> class awaitable_handler;

#if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
# if BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS == 2
template<typename, typename> class spawn_handler;
template<typename, typename> class awaitable_async_op_handler;
# else
template<typename, typename, typename> class spawn_handler;
template<typename, typename, typename> class awaitable_async_op_handler;
# endif
#endif

} // namespace detail
} // namespace asio

namespace contextvars {
namespace detail {

/// A handler type that itself resumes a coroutine.
template<class H> struct is_resumption_handler: std::false_type {};

template<class E, class... T>
struct is_resumption_handler<boost::asio::detail::awaitable_handler<E, T...>>: std::true_type {};

#if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
# if BOOST_CONTEXTVARS_DETAIL_HANDLER_PARAMS == 2
template<class E, class S>
struct is_resumption_handler<boost::asio::detail::spawn_handler<E, S>>: std::true_type {};
template<class S, class E>
struct is_resumption_handler<boost::asio::detail::awaitable_async_op_handler<S, E>>: std::true_type {};
# else
template<class E, class S, class X>
struct is_resumption_handler<boost::asio::detail::spawn_handler<E, S, X>>: std::true_type {};
template<class S, class E, class X>
struct is_resumption_handler<boost::asio::detail::awaitable_async_op_handler<S, E, X>>: std::true_type {};
# endif
#endif

/// Whether `T`, or any type among its template arguments at any depth,
/// satisfies `Pred`.
template<template<class> class Pred, class T>
struct holds_type: Pred<T> {};

template<template<class> class Pred, template<class...> class Tpl, class... A>
struct holds_type<Pred, Tpl<A...>>:
    std::integral_constant<bool, Pred<Tpl<A...>>::value || (holds_type<Pred, A>::value || ...)>
{
};

/// Whether `T` (a handler, or an operation or function holding one) resumes
/// a coroutine.
template<class T>
struct resumes_coroutine: holds_type<is_resumption_handler, T> {};

/// A function or handler whose type is erased.
template<class T> struct is_erased_function: std::false_type {};
template<> struct is_erased_function<boost::asio::detail::executor_function>: std::true_type {};
template<> struct is_erased_function<boost::asio::detail::executor_function_view>: std::true_type {};
template<class... S> struct is_erased_function<boost::asio::any_completion_handler<S...>>: std::true_type {};

/// Whether `T` holds a function whose type Asio erased (work submitted
/// through any_io_executor or another polymorphic executor): it may be a
/// coroutine's resumption as well as new work.
template<class T>
struct holds_erased_function: holds_type<is_erased_function, T> {};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_RESUMPTION_HPP_INCLUDED
