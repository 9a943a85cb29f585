// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Helpers shared by the tests of the core (context, context_var, scoped_set,
// bind_context, exception safety, the node cache): isolated(), which runs a
// test in a fresh, empty context like CPython's @isolated_context, so that
// nothing a test sets leaks into the main thread's base context shared by all
// tests; the small queries several of them make; a value whose copy throws.
// C++17 and no Asio, like the core itself. Include after the header under test, so that each test still
// proves that header self-contained.

#ifndef BOOST_CONTEXTVARS_TEST_CORE_TEST_SUPPORT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_TEST_CORE_TEST_SUPPORT_HPP_INCLUDED

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace test_support {

// Runs f in a fresh, empty context and returns what it returns.
template<class F>
decltype(auto) isolated(F&& f)
{
    boost::contextvars::context ctx;
    return ctx.run(std::forward<F>(f));
}

// For checking what() of an error: the tests look for the parts that matter
// (the var's name, the cause), not for the exact wording.
inline bool contains(std::string const& haystack, std::string const& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// Calls f, which must throw E, and returns E's what() for the test to check.
// If f returns normally, the result is a marker that no expected message
// contains, so the test's check of the message fails and prints it; an
// exception of another type propagates and fails the test case.
template<class E, class F>
std::string what_thrown(F&& f)
{
    try
    {
        std::forward<F>(f)();
    }
    catch(E const& e)
    {
        return e.what();
    }
    return "<nothing was thrown>";
}

// Python's ctx.get(var, default).
template<class T, class U>
T get_or(boost::contextvars::context const& ctx, boost::contextvars::context_var<T> const& var, U&& fallback)
{
    T const* p = ctx.get(var);
    return p ? *p : T(std::forward<U>(fallback));
}

// A value whose copy constructor throws while `armed`. It declares no move
// constructor, so moving it copies too: set(throws_on_copy{...}) gets past the
// by-value parameter (guaranteed elision) and throws inside set().
struct throws_on_copy
{
    static inline bool armed = false;
    int v;

    explicit throws_on_copy(int x): v(x) {}

    throws_on_copy(throws_on_copy const& o): v(o.v)
    {
        if(armed)
        {
            throw std::runtime_error("throws_on_copy");
        }
    }

    throws_on_copy& operator=(throws_on_copy const&) = default;
};

// Disarms throws_on_copy when the scope ends, however it ends.
struct disarm_copies
{
    ~disarm_copies()
    {
        throws_on_copy::armed = false;
    }
};

} // namespace test_support

#endif // BOOST_CONTEXTVARS_TEST_CORE_TEST_SUPPORT_HPP_INCLUDED
