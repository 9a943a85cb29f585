#ifndef BOOST_CONTEXTVARS_DETAIL_MAP_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_MAP_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The persistent map behind every context, one concern per file:
//   detail/var_registry.hpp  a variable's identity (var_info, var_ref) and its dense index
//   detail/value_node.hpp    the reference-counted, type-erased value of one set()
//   detail/trie.hpp          the structurally shared bitmap trie: its nodes and find()
//   detail/trie_update.hpp   its updates (assoc, dissoc, update_in_place)
//   detail/trie_walk.hpp     a walk over its values (context::iterator)
//   detail/lookup.hpp        find() checked against the variable's identity, and the lookup cache
//   detail/snapshot.hpp      the owning handle to a root, and update()

#include <boost/contextvars/detail/var_registry.hpp>
#include <boost/contextvars/detail/value_node.hpp>
#include <boost/contextvars/detail/trie.hpp>
#include <boost/contextvars/detail/trie_update.hpp>
#include <boost/contextvars/detail/trie_walk.hpp>
#include <boost/contextvars/detail/lookup.hpp>
#include <boost/contextvars/detail/snapshot.hpp>

#endif // BOOST_CONTEXTVARS_DETAIL_MAP_HPP_INCLUDED
