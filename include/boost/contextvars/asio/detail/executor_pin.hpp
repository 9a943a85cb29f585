#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_EXECUTOR_PIN_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_EXECUTOR_PIN_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Where a context_executor keeps its pin (the context current when an
// operation was initiated through its tracked form), and where it keeps
// none: the executors whose tracked form is their own type are never pinned
// in their untracked form, so the wrapper over them is as small as they are.

#include <boost/contextvars/asio/detail/packed_capture.hpp>
#include <boost/contextvars/asio/detail/resumption.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

namespace ex = boost::asio::execution;

// Whether a context_executor over E can ever be pinned. Pinning happens only
// through outstanding_work.tracked. The io_context and thread_pool executors
// carry that property in their type, so their untracked forms are never
// pinned and carry no pin: context_executor<io_context::executor_type> then
// copies as cheaply as the inner executor, and Asio's post() (four executor
// temporaries) inlines again. (Strands qualify too, but the tests document
// context_executor<strand<...>>'s size, which this would change.)
template<class E>
struct tracked_form_is_self:
    std::is_same<std::decay_t<decltype(boost::asio::require(std::declval<E const&>(), ex::outstanding_work.tracked))>, E>
{
};

template<class E> struct can_pin: std::true_type {};
template<class A, std::uintptr_t Bits>
struct can_pin<boost::asio::io_context::basic_executor_type<A, Bits>>:
    tracked_form_is_self<boost::asio::io_context::basic_executor_type<A, Bits>>
{
};
template<class A, unsigned int Bits>
struct can_pin<boost::asio::thread_pool::basic_executor_type<A, Bits>>:
    tracked_form_is_self<boost::asio::thread_pool::basic_executor_type<A, Bits>>
{
};

template<class E>
constexpr bool can_pin_v = can_pin<E>::value;

/// What a context_executor pins when an operation is initiated through it:
/// the current context, which the completion continues. The completion's
/// handler is not known here (Asio asks for the tracked executor before it
/// says what for), so inside a handler that continues a context (a
/// coroutine's step, a completion) it may be the coroutine's resumption and
/// takes everything; elsewhere it is new work and takes what new work takes
/// (flow.hpp).
BOOST_FORCEINLINE packed_capture pin_capture() noexcept
{
    return packed_capture::capture_for(current_context(), true, work_kind::unknown, true);
}

/// What a context_executor gives the function `F` submitted to it without
/// a pin: a coroutine's resumption continues the current context with
/// everything; other work is new work (flow.hpp). So is a function whose
/// type is erased (the executor is behind any_io_executor): a coroutine's
/// resumption by post(use_awaitable) through one is the documented
/// exception (propagation.adoc, "context_executor").
template<class F>
BOOST_FORCEINLINE packed_capture submission_capture() noexcept
{
    constexpr bool resumes = resumes_coroutine<F>::value;
    return packed_capture::capture_for(current_context(), resumes,
        resumes ? work_kind::resumption : work_kind::new_work, false);
}

// Kept in a namespace of its own: context_executor derives from it (so that an
// empty one takes no room), and a base's namespace joins argument-dependent lookup.
namespace pin_storage {

template<bool CanPin>
class executor_pin
{
public:
    executor_pin() noexcept = default;
    explicit executor_pin(packed_capture p) noexcept: pin_(std::move(p)) {}

    bool pinned() const noexcept
    {
        return pin_.pinned();
    }

    packed_capture const& pin() const& noexcept
    {
        return pin_;
    }

    packed_capture&& pin() && noexcept
    {
        return std::move(pin_);
    }

    friend bool operator==(executor_pin const& a, executor_pin const& b) noexcept
    {
        return a.pin_ == b.pin_;
    }

private:
    packed_capture pin_;
};

template<>
class executor_pin<false>
{
public:
    executor_pin() noexcept = default;
    // Only ever handed an unpinned capture (see can_pin).
    explicit executor_pin(packed_capture const&) noexcept {}

    static constexpr bool pinned() noexcept
    {
        return false;
    }

    static packed_capture pin() noexcept
    {
        return packed_capture();
    }

    friend bool operator==(executor_pin const&, executor_pin const&) noexcept
    {
        return true;
    }
};

} // namespace pin_storage

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_EXECUTOR_PIN_HPP_INCLUDED
