// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The core compiles without Asio: every header outside asio/, log/, asio.hpp,
// opentelemetry.hpp and the deprecated forwarding context_executor.hpp is
// included here, and then no Asio header may have been seen. Every Asio
// header starts by including <boost/asio/detail/config.hpp> (or is
// <boost/asio/version.hpp>), so their include guards tell. Add a new core
// header here.

#include <boost/contextvars.hpp>
#include <boost/contextvars/bind_context.hpp>
#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/errors.hpp>
#include <boost/contextvars/io.hpp>
#include <boost/contextvars/scoped_set.hpp>
#include <boost/contextvars/strict.hpp>
#include <boost/contextvars/token.hpp>
#include <boost/contextvars/detail/capture.hpp>
#include <boost/contextvars/detail/context_access.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/current_context.hpp>
#include <boost/contextvars/detail/lookup.hpp>
#include <boost/contextvars/detail/map.hpp>
#include <boost/contextvars/detail/print_value.hpp>
#include <boost/contextvars/detail/snapshot.hpp>
#include <boost/contextvars/detail/strict_check.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/trie_update.hpp>
#include <boost/contextvars/detail/trie_walk.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/contextvars/detail/var_key.hpp>
#include <boost/contextvars/detail/var_registry.hpp>

#if defined(BOOST_ASIO_DETAIL_CONFIG_HPP) || defined(BOOST_ASIO_VERSION_HPP) || defined(BOOST_ASIO_VERSION)
# error "a core header of Boost.ContextVars included Asio"
#endif

#define BOOST_TEST_MODULE core_without_asio
#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_CASE(core_headers_work_without_asio)
{
    boost::contextvars::context_var<int> var("x", 0);
    auto ctx = boost::contextvars::copy_context();
    ctx.run([&] { var.set(1); });
    BOOST_TEST(var.get() == 0);
    BOOST_TEST(*ctx.get(var) == 1);
    BOOST_TEST(boost::contextvars::to_string(ctx) != "");
}
