// Smoke test: the basic Boost.ContextVars API in one place.
#define BOOST_TEST_MODULE quick
#include <boost/test/unit_test.hpp>

#include <boost/contextvars.hpp>

BOOST_AUTO_TEST_CASE(set_reset_copy_run)
{
    boost::contextvars::context_var<int> var("x", 0);
    auto tok = var.set(5);
    BOOST_TEST(var.get() == 5);
    var.reset(tok);
    BOOST_TEST(var.get() == 0);

    auto ctx = boost::contextvars::copy_context();
    ctx.run([&] { var.set(7); });
    BOOST_TEST(var.get() == 0);
    BOOST_TEST_REQUIRE(static_cast<bool>(ctx.get(var)));
    BOOST_TEST(*ctx.get(var) == 7);
}
