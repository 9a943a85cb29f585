#ifndef BOOST_CONTEXTVARS_DETAIL_PRINT_VALUE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_PRINT_VALUE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The type-erased printer every context_var<T> stores in its var_info, so
// that a context, which holds values of many types behind one node type, can
// print them (<boost/contextvars/io.hpp>). It is instantiated where the var
// is constructed, the only place T is known.

#include <boost/contextvars/detail/value_node.hpp>
#include <boost/core/type_name.hpp>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

template<class T, class = void>
struct is_printable: std::false_type
{
};

template<class T>
struct is_printable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<T const&>())>>:
    std::true_type
{
};

/// Writes the value `n` holds (a `typed_value_node<T>`) to `os`, or
/// `<unprintable T>` when T has no `operator<<`.
template<class T>
void print_value(std::ostream& os, value_node const* n)
{
    if constexpr(is_printable<T>::value)
    {
        os << static_cast<typed_value_node<T> const*>(n)->value;
    }
    else
    {
        os << "<unprintable " << boost::core::type_name<T>() << '>';
    }
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_PRINT_VALUE_HPP_INCLUDED
