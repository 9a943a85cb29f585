#ifndef BOOST_CONTEXTVARS_IO_HPP_INCLUDED
#define BOOST_CONTEXTVARS_IO_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Printing a context for diagnostics: operator<<, to_string(), and
// formatters for fmt (when <fmt/format.h> is available) and std::format
// (when the standard library has it). Each value is printed with its own
// operator<<, found through the printer its context_var registered; a value
// type without one prints as <unprintable T>.

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/map.hpp>
#include <boost/contextvars/detail/print_value.hpp>
#include <algorithm>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#if __has_include(<version>)
# include <version>
#endif
#if defined(__cpp_lib_format) && __cpp_lib_format >= 201907L
# include <format>
# define BOOST_CONTEXTVARS_HAS_STD_FORMAT 1
#else
# define BOOST_CONTEXTVARS_HAS_STD_FORMAT 0
#endif
#if !defined(BOOST_CONTEXTVARS_NO_FMT) && __has_include(<fmt/format.h>)
# include <fmt/format.h>
# define BOOST_CONTEXTVARS_HAS_FMT 1
#else
# define BOOST_CONTEXTVARS_HAS_FMT 0
#endif

namespace boost {
namespace contextvars {

namespace detail {

// Every value in the map under `n`, in key order.
inline void collect_values(node const* n, std::vector<value_node const*>& out)
{
    if(n == nullptr)
    {
        return;
    }
    void* const* s = n->slots();
    for(unsigned i = 0; i < n->count; ++i)
    {
        if(n->shift == 0)
        {
            out.push_back(static_cast<value_node const*>(s[i]));
        }
        else
        {
            collect_values(static_cast<node const*>(s[i]), out);
        }
    }
}

} // namespace detail

/// Writes `{name=value, ...}`: every variable that has a value in `c`,
/// sorted by name, each value printed with its `operator<<`, or as
/// `<unprintable T>` when its type has none. Defaults do not count.
inline std::ostream& operator<<(std::ostream& os, context const& c)
{
    // The copy keeps the values alive while they are printed.
    detail::snapshot values = detail::context_access::root(c);
    std::vector<detail::value_node const*> nodes;
    detail::collect_values(values.get(), nodes);
    std::stable_sort(nodes.begin(), nodes.end(),
        [](detail::value_node const* a, detail::value_node const* b) { return a->var->name < b->var->name; });
    os << '{';
    bool first = true;
    for(detail::value_node const* n: nodes)
    {
        os << (first ? "" : ", ") << n->var->name << '=';
        if(n->var->print != nullptr)
        {
            n->var->print(os, n);
        }
        else
        {
            os << "<unprintable>";
        }
        first = false;
    }
    return os << '}';
}

/// What `operator<<` writes for `c`.
inline std::string to_string(context const& c)
{
    std::ostringstream os;
    os << c;
    return os.str();
}

/// `to_string(copy_context())`: the current context, for a log line.
inline std::string current_context_string()
{
    return to_string(copy_context());
}

} // namespace contextvars
} // namespace boost

#if BOOST_CONTEXTVARS_HAS_FMT
/// `fmt::format("{}", ctx)` writes what `operator<<` writes; string format
/// specifications (width, fill, alignment) apply to the whole text.
template<>
struct fmt::formatter<boost::contextvars::context>: fmt::formatter<fmt::string_view>
{
    template<class FormatContext>
    auto format(boost::contextvars::context const& c, FormatContext& ctx) const -> decltype(ctx.out())
    {
        std::string s = boost::contextvars::to_string(c);
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(s.data(), s.size()), ctx);
    }
};
#endif

#if BOOST_CONTEXTVARS_HAS_STD_FORMAT
/// `std::format("{}", ctx)`, as the fmt formatter.
template<>
struct std::formatter<boost::contextvars::context, char>: std::formatter<std::string_view, char>
{
    template<class FormatContext>
    auto format(boost::contextvars::context const& c, FormatContext& ctx) const
    {
        std::string s = boost::contextvars::to_string(c);
        return std::formatter<std::string_view, char>::format(std::string_view(s), ctx);
    }
};
#endif

#endif // BOOST_CONTEXTVARS_IO_HPP_INCLUDED
