#ifndef BOOST_CONTEXTVARS_ERRORS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ERRORS_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The exceptions the library throws. They mirror Python's: LookupError for a
// variable with neither value nor default, the ValueError/RuntimeError pair
// of Token misuse folded into token_error, and RuntimeError for entering a
// context twice as context_error.

#include <stdexcept>
#include <string>

namespace boost {
namespace contextvars {

/// Thrown by `context_var<T>::get()` when the variable has neither a value in
/// the current context nor a default. Python: `LookupError`.
class lookup_error: public std::out_of_range
{
public:
    explicit lookup_error(std::string const& what): std::out_of_range(what) {}
};

/// Thrown by `context_var<T>::reset()` when the token was already used,
/// belongs to another variable, or was created in another context.
/// Python: `RuntimeError` / `ValueError`.
class token_error: public std::logic_error
{
public:
    explicit token_error(std::string const& what): std::logic_error(what) {}
};

/// Thrown when a context that is already entered (on any thread) is entered
/// again, or is assigned to or moved from while entered. Python: `RuntimeError`.
class context_error: public std::logic_error
{
public:
    explicit context_error(std::string const& what): std::logic_error(what) {}
};

/// Thrown by `add_switch_watcher()` (and the constructors of
/// `thread_local_mirror` and `otel::thread_context`, which add one) when the
/// eight places for switch watchers are all taken.
class watcher_limit_error: public std::length_error
{
public:
    explicit watcher_limit_error(std::string const& what): std::length_error(what) {}
};

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ERRORS_HPP_INCLUDED
