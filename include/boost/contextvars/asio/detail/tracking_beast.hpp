#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_BEAST_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_BEAST_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking for Beast's operations. Beast parks an operation
// that must wait for another (a websocket read that has to answer a ping
// while a write holds the stream, a write behind a close, an HTTP operation
// behind its stream's lock: saved_handler and the soft mutexes) and resumes
// it by a direct call from the other operation's completion, where no hook
// runs: from there on the parked operation, and the handler it completes,
// would run in the other operation's context. Every Beast operation keeps its
// final handler in beast::async_base (stable_async_base derives from it), so
// async_base is specialised here, for a handler not yet pinned, as the
// async_base of the handler pinned (pinned_completion.hpp) to the context
// current when the operation is built, in its initiation: however the
// operation gets to its end, its handler runs in the context that started it.
// Steps in between run wherever Beast runs them; they are Beast's code, not
// the user's. The specialisation keeps async_base's interface, handler() and
// release_handler() included (they give the handler unpinned). Needs C++20
// (a constrained partial specialisation) and a Beast whose async_base has
// been read: the Boost versions of asio_version.hpp's list (Beast ships with
// Boost), where async_base<Handler, Executor1, Allocator> is the same.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/asio/detail/asio_version.hpp>
#include <boost/contextvars/asio/detail/pinned_completion.hpp>
#include <boost/version.hpp>
#include <type_traits>
#include <utility>

#if defined(__cpp_concepts) && BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED &&                                              \
    (BOOST_VERSION / 100 == 1081 || BOOST_VERSION / 100 == 1083 || BOOST_VERSION / 100 == 1088 ||                      \
     BOOST_VERSION / 100 == 1090 || BOOST_VERSION / 100 == 1092)
# define BOOST_CONTEXTVARS_DETAIL_TRACKED_BEAST 1
#else
# define BOOST_CONTEXTVARS_DETAIL_TRACKED_BEAST 0
#endif

#if BOOST_CONTEXTVARS_DETAIL_TRACKED_BEAST

namespace boost {
namespace beast {

template<class Handler, class Executor1, class Allocator>
class async_base;

template<class Handler, class Executor1, class Allocator>
    requires(!::boost::contextvars::detail::is_pinned_completion<Handler>::value)
class async_base<Handler, Executor1, Allocator>
    : public async_base<::boost::contextvars::detail::pinned_completion<Handler,
          ::boost::contextvars::detail::offers_context>, Executor1, Allocator>
{
    using pinned = async_base<
        ::boost::contextvars::detail::pinned_completion<Handler, ::boost::contextvars::detail::offers_context>,
        Executor1, Allocator>;

public:
    template<class Handler_,
        class = typename std::enable_if<!std::is_same<typename std::decay<Handler_>::type, async_base>::value>::type>
    async_base(Handler_&& handler, Executor1 const& ex1):
        pinned(::boost::contextvars::detail::pin_completion<Handler, ::boost::contextvars::detail::offers_context>(
            std::forward<Handler_>(handler)), ex1)
    {
    }

    template<class Handler_>
    async_base(Handler_&& handler, Executor1 const& ex1, Allocator const& alloc):
        pinned(::boost::contextvars::detail::pin_completion<Handler, ::boost::contextvars::detail::offers_context>(
            std::forward<Handler_>(handler)), ex1, alloc)
    {
    }

    async_base(async_base&&) = default;

    Handler const& handler() const noexcept
    {
        return pinned::handler().handler();
    }

    Handler release_handler()
    {
        return pinned::release_handler().release();
    }
};

} // namespace beast
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_TRACKED_BEAST

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_BEAST_HPP_INCLUDED
