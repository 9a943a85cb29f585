#ifndef BOOST_CONTEXTVARS_DETAIL_THROW_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_THROW_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Out-of-line throw helpers: they keep the message formatting and the
// throw_exception machinery off the inlined fast paths.

#include <boost/contextvars/errors.hpp>
#include <boost/config.hpp>
#include <boost/throw_exception.hpp>
#include <boost/assert/source_location.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

namespace boost {
namespace contextvars {
namespace detail {

inline std::string quoted(std::string_view name)
{
    std::string r;
    r.reserve(name.size() + 2);
    r += '\'';
    r += name;
    r += '\'';
    return r;
}

BOOST_NORETURN BOOST_NOINLINE inline void throw_lookup_error(std::string_view var,
    boost::source_location const& loc = BOOST_CURRENT_LOCATION)
{
    boost::throw_exception(lookup_error("context_var " + quoted(var) +
        " has no value in the current context and no default"), loc);
}

BOOST_NORETURN BOOST_NOINLINE inline void throw_token_error(std::string_view var, char const* why,
    boost::source_location const& loc = BOOST_CURRENT_LOCATION)
{
    boost::throw_exception(token_error("cannot reset context_var " + quoted(var) + ": " + why), loc);
}

// A token asked for its variable when it records none (token<T>::var()).
BOOST_NORETURN BOOST_NOINLINE inline void throw_empty_token_error(char const* what,
    boost::source_location const& loc = BOOST_CURRENT_LOCATION)
{
    boost::throw_exception(token_error(what), loc);
}

BOOST_NORETURN BOOST_NOINLINE inline void throw_context_error(char const* what,
    boost::source_location const& loc = BOOST_CURRENT_LOCATION)
{
    boost::throw_exception(context_error(what), loc);
}

// For misuse inside a noexcept function, where no exception can carry the
// message: print it, then std::terminate(), as std::thread's destructor does.
BOOST_NORETURN BOOST_NOINLINE inline void terminate_with(char const* what) noexcept
{
    std::fprintf(stderr, "%s\n", what);
    std::terminate();
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_THROW_HPP_INCLUDED
