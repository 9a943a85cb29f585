// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Calling a binder with arguments its target does not take is an error that
// says so (a deleted overload; is_invocable answers false, see bind_context.cpp).

#include <boost/contextvars/bind_context.hpp>
#include <string>

void f()
{
    auto b = boost::contextvars::bind_context([](int) {});
    b(std::string("not an int"));
}
