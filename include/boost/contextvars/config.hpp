#ifndef BOOST_CONTEXTVARS_CONFIG_HPP_INCLUDED
#define BOOST_CONTEXTVARS_CONFIG_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Configuration macros shared by every header of the library: the compiler
// barrier that keeps the thread-local accessor honest across coroutine
// suspensions, the feature test for C++20 coroutine support, and the
// visibility of the library's per-process state.

#include <boost/config.hpp>

#if defined(__GNUC__) || defined(__clang__)
// An empty asm that claims to modify the pointer: the optimiser can neither
// prove the accessor pure nor reuse its result across calls, which is what
// makes a thread-local address safe to read again after a coroutine resumed
// on another thread (llvm issues 47179, 63022, 111257).
# define BOOST_CONTEXTVARS_OPAQUE_POINTER(p) __asm__ volatile("" : "+r"(p))
#else
# define BOOST_CONTEXTVARS_OPAQUE_POINTER(p) ((void)(p))
#endif

#if defined(__cpp_impl_coroutine) && __cpp_impl_coroutine >= 201902L
# define BOOST_CONTEXTVARS_HAS_COROUTINES 1
#else
# define BOOST_CONTEXTVARS_HAS_COROUTINES 0
#endif

// The library's per-process state (the var registry, each thread's current
// context and base context, the identity allocator, the strict-mode handler)
// lives in inline variables and functions of the headers. Marked with default
// visibility, their vague-linkage definitions are unified by the dynamic
// linker on ELF platforms even in shared objects built with
// -fvisibility=hidden, so a program made of several modules still has one
// state. (Empty where visibility does not exist: a Windows DLL keeps its own.)
#define BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_SYMBOL_VISIBLE

#endif // BOOST_CONTEXTVARS_CONFIG_HPP_INCLUDED
