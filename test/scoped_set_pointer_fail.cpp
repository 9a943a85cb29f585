// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// scoped_set accepts what set() accepts: var.set("abc") does not compile for
// a context_var<long>, so neither does the guard (it must not store the
// pointer's value).

#include <boost/contextvars/scoped_set.hpp>

boost::contextvars::context_var<long> v("v");

void f()
{
    boost::contextvars::scoped_set g(v, "abc");
}
