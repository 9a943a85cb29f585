// Consumer test: uses the installed Boost.ContextVars headers.
#include <boost/contextvars.hpp>

int main()
{
    boost::contextvars::context_var<int> v("v", 1);
    auto t = v.set(2);
    bool ok = v.get() == 2;
    v.reset(t);
    return ok && v.get() == 1 ? 0 : 1;
}
