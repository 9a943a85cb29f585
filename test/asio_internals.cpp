// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Each assumption include/boost/contextvars/asio/detail/asio_internals.hpp
// makes about Asio's internals, checked against the Asio in use. When a new
// Boost release breaks one, this test says which, naming that header, instead
// of a coroutine somewhere resuming in the wrong context.

#include <boost/contextvars/asio/detail/asio_internals.hpp>

#include <boost/contextvars/asio.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#define BOOST_TEST_MODULE asio_internals
#include <boost/test/unit_test.hpp>

#include <future>
#include <type_traits>

namespace asio = boost::asio;
namespace ai = boost::contextvars::detail::asio_internals;
using boost::system::error_code;

#define FENCE_CHECK(cond, what)                                                                          \
    BOOST_TEST((cond), "include/boost/contextvars/asio/detail/asio_internals.hpp: " what                \
                       " no longer holds for Boost.Asio " << BOOST_ASIO_VERSION)

namespace {

// A completion token whose initiation reports what Asio passed it.
struct initiation_probe
{
};

} // namespace

namespace boost {
namespace asio {

template<class... Signatures>
struct async_result<initiation_probe, Signatures...>
{
    template<class Initiation, class RawToken, class... Args>
    static bool initiate(Initiation&&, RawToken&&, Args&&...)
    {
        return ai::is_co_spawn_initiation<typename std::decay<Initiation>::type>::value;
    }
};

} // namespace asio
} // namespace boost

BOOST_AUTO_TEST_CASE(use_awaitable_handler_is_recognised)
{
    using handler = asio::async_result<asio::use_awaitable_t<>, void(error_code)>::handler_type;
    FENCE_CHECK(ai::resumes_coroutine<handler>::value, "use_awaitable's handler (awaitable_handler)");
    FENCE_CHECK((ai::resumes_coroutine<asio::executor_binder<handler, asio::thread_pool::executor_type>>::value),
        "a coroutine handler behind bind_executor");
    FENCE_CHECK(ai::resumes_coroutine_fn<asio::detail::binder0<handler>>::value,
        "a coroutine handler bound with no arguments (binder0)");
    FENCE_CHECK(!ai::resumes_coroutine<void (*)(error_code)>::value, "a plain handler");
}

BOOST_AUTO_TEST_CASE(yield_context_handler_is_recognised)
{
#if BOOST_CONTEXTVARS_DETAIL_ASIO_VERIFIED
    using handler = asio::async_result<asio::yield_context, void()>::handler_type;
    FENCE_CHECK(ai::resumes_coroutine<handler>::value, "asio::spawn's handler (spawn_handler)");
#else
    BOOST_TEST_MESSAGE("spawn_handler is not recognised with this Asio version (documented)");
#endif
}

namespace {

template<class T, class = void> struct has_get_executor: std::false_type {};
template<class T>
struct has_get_executor<T, std::void_t<decltype(std::declval<T const&>().get_executor())>>: std::true_type {};

} // namespace

BOOST_AUTO_TEST_CASE(co_spawn_initiation_is_recognised)
{
    // bind_context re-issues co_spawn's initiation on a context-aware executor:
    // it needs the executor type, get_executor() and the constructor.
    using initiation = ai::co_spawn_initiation<asio::any_io_executor>;
    FENCE_CHECK(has_get_executor<initiation>::value, "initiate_co_spawn::get_executor()");
    FENCE_CHECK((std::is_same<initiation::executor_type, asio::any_io_executor>::value),
        "initiate_co_spawn::executor_type");
    FENCE_CHECK((std::is_constructible<initiation, asio::any_io_executor>::value), "initiate_co_spawn's constructor");
    asio::io_context io;
    auto coro = []() -> asio::awaitable<void> { co_return; };
    bool recognised = asio::co_spawn(asio::any_io_executor(io.get_executor()), coro(), initiation_probe());
    FENCE_CHECK(recognised, "co_spawn's initiation (initiate_co_spawn)");
}

BOOST_AUTO_TEST_CASE(run_loop_probe)
{
    FENCE_CHECK(!ai::in_run_loop(), "thread_context's call stack outside a run loop");
    asio::io_context io;
    bool inside = false;
    asio::post(io, [&] { inside = ai::in_run_loop(); });
    io.run();
    FENCE_CHECK(inside, "thread_context's call stack inside io_context::run");
    asio::thread_pool pool(1);
    std::promise<bool> p;
    asio::post(pool, [&] { p.set_value(ai::in_run_loop()); });
    FENCE_CHECK(p.get_future().get(), "thread_context's call stack on a thread_pool thread");
    pool.join();
}
