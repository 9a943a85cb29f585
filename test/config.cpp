// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Tests for <boost/contextvars/config.hpp>: the coroutine feature test agrees
// with the language mode the build asked for (a C++20 build whose flags turn
// coroutines off fails here rather than silently dropping co_spawn support),
// and the opaque-pointer barrier hands the pointer through unchanged. The
// header under test comes first, so that it is proven self-contained.

#include <boost/contextvars/config.hpp>

#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#if BOOST_CONTEXTVARS_HAS_COROUTINES
# include <coroutine>
#endif

#if __cplusplus >= 202002L
static_assert(BOOST_CONTEXTVARS_HAS_COROUTINES == 1,
    "a C++20 build of the tests must have coroutines enabled (is -fno-coroutines set?)");
#endif

namespace {

#if BOOST_CONTEXTVARS_HAS_COROUTINES
// The smallest coroutine that suspends and is resumed by hand: proves that
// the macro's 1 means the compiler really builds coroutines.
struct resumable
{
    struct promise_type
    {
        resumable get_return_object()
        {
            return {std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { throw; }
    };
    std::coroutine_handle<promise_type> handle;
};

resumable count_to_two(int& n)
{
    ++n;
    co_await std::suspend_always{};
    ++n;
}
#endif

int* through_barrier(int* p)
{
    BOOST_CONTEXTVARS_OPAQUE_POINTER(p);
    return p;
}

} // namespace

BOOST_AUTO_TEST_CASE(opaque_pointer_is_the_identity)
{
    int values[3] = {10, 20, 30};
    for(int& v: values)
    {
        int* p = through_barrier(&v);
        BOOST_TEST(p == &v);
        BOOST_TEST(*p == v);
    }
    BOOST_TEST(through_barrier(nullptr) == nullptr);
}

#if BOOST_CONTEXTVARS_HAS_COROUTINES
BOOST_AUTO_TEST_CASE(coroutines_when_the_macro_says_so)
{
    int n = 0;
    resumable r = count_to_two(n);
    BOOST_TEST(n == 0); // initial_suspend
    r.handle.resume();
    BOOST_TEST(n == 1);
    r.handle.resume();
    BOOST_TEST(n == 2);
    BOOST_TEST(r.handle.done());
    r.handle.destroy();
}
#endif
