#ifndef BOOST_CONTEXTVARS_LOG_SPDLOG_HPP_INCLUDED
#define BOOST_CONTEXTVARS_LOG_SPDLOG_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// An spdlog custom pattern flag that prints a context_var's value, so that a
// request id kept in a context variable appears in every log line without
// being passed to the logging call. spdlog formats a message where it is
// sunk: with synchronous loggers, on the logging thread, in the logging
// context; an asynchronous logger formats on its worker thread, where the
// logging context is not current, so this flag is for synchronous loggers.

#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/detail/print_value.hpp>
#include <spdlog/pattern_formatter.h>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

namespace boost {
namespace contextvars {
namespace logging {

/// An `spdlog::custom_flag_formatter` that writes `var`'s value in the
/// current context (else its default, else `unset`): with fmt when `T` has
/// an fmt formatter, else with `operator<<`, else as `<unprintable T>`.
/// Register it with `pattern_formatter::add_flag<spdlog_flag<T>>('X', var)`.
/// The variable must outlive the formatter. Padding flags (`%8X`) are ignored.
template<class T>
class spdlog_flag: public spdlog::custom_flag_formatter
{
public:
    /// A flag printing `var`, or `unset` when it has no value.
    explicit spdlog_flag(context_var<T> const& var, std::string unset = std::string()):
        var_(&var), unset_(std::move(unset))
    {
    }

    void format(spdlog::details::log_msg const&, std::tm const&, spdlog::memory_buf_t& dest) override
    {
        T const* p = var_->try_get();
        if(p == nullptr)
        {
            dest.append(unset_.data(), unset_.data() + unset_.size());
        }
        else if constexpr(fmt::is_formattable<T>::value)
        {
            fmt::format_to(std::back_inserter(dest), "{}", *p);
        }
        else
        {
            // operator<< if T has one, else <unprintable T>, as when printing a context.
            std::ostringstream os;
            print(os, *p);
            std::string s = os.str();
            dest.append(s.data(), s.data() + s.size());
        }
    }

    std::unique_ptr<spdlog::custom_flag_formatter> clone() const override
    {
        return std::make_unique<spdlog_flag>(*var_, unset_);
    }

private:
    static void print(std::ostream& os, T const& v)
    {
        if constexpr(detail::is_printable<T>::value)
        {
            os << v;
        }
        else
        {
            os << "<unprintable " << boost::core::type_name<T>() << '>';
        }
    }

    context_var<T> const* var_;
    std::string unset_;
};

} // namespace logging
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_LOG_SPDLOG_HPP_INCLUDED
