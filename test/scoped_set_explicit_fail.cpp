// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// scoped_set accepts what set() accepts: var.set(5) does not compile for a
// context_var<std::vector<int>> (the size constructor is explicit), so
// neither does the guard.

#include <boost/contextvars/scoped_set.hpp>
#include <vector>

boost::contextvars::context_var<std::vector<int>> v("v");

void f()
{
    boost::contextvars::scoped_set g(v, 5);
}
