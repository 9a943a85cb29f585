#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_EXECUTOR_PROPERTIES_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_EXECUTOR_PROPERTIES_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// How context_executor treats the properties asked of it: which ones pin the
// context current at initiation (outstanding_work.tracked) or drop a pin
// (untracked), and how a property is re-applied to the inner executor and the
// result wrapped again (require and prefer, plain or through prefer_only).

#include <boost/asio/execution.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/require.hpp>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {

template<class Executor> class context_executor;

namespace detail {

namespace ex = boost::asio::execution;

template<class P> struct pins: std::false_type {};
template<> struct pins<ex::outstanding_work_t::tracked_t>: std::true_type {};
template<> struct pins<ex::prefer_only<ex::outstanding_work_t::tracked_t>>: std::true_type {};

template<class P> struct unpins: std::false_type {};
template<> struct unpins<ex::outstanding_work_t::untracked_t>: std::true_type {};
template<> struct unpins<ex::prefer_only<ex::outstanding_work_t::untracked_t>>: std::true_type {};

// prefer_only<P> is how any_io_executor passes P through; the inner,
// concrete executor wants P itself.
template<class P> struct plain_property { using type = P; };
template<class P> struct plain_property<ex::prefer_only<P>> { using type = P; };

template<class P>
P const& unwrap_property(P const& p) noexcept
{
    return p;
}

template<class P>
P unwrap_property(ex::prefer_only<P> const&) noexcept
{
    return P();
}

// asio::require and asio::prefer as function objects, so that one rewrap
// serves both and both value categories.
struct require_fn
{
    template<class E, class P>
    auto operator()(E&& e, P const& p) const -> decltype(boost::asio::require(std::forward<E>(e), p))
    {
        return boost::asio::require(std::forward<E>(e), p);
    }
};

struct prefer_fn
{
    template<class E, class P>
    auto operator()(E&& e, P const& p) const -> decltype(boost::asio::prefer(std::forward<E>(e), p))
    {
        return boost::asio::prefer(std::forward<E>(e), p);
    }
};

// The context_executor that applying `Property` through `Fn` to an `E` gives.
template<class Fn, class E, class Property>
using rewrap_result_t = context_executor<std::decay_t<std::invoke_result_t<Fn const&, E,
    decltype(unwrap_property(std::declval<Property const&>()))>>>;

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_EXECUTOR_PROPERTIES_HPP_INCLUDED
