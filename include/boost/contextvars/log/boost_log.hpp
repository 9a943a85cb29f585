#ifndef BOOST_CONTEXTVARS_LOG_BOOST_LOG_HPP_INCLUDED
#define BOOST_CONTEXTVARS_LOG_BOOST_LOG_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A Boost.Log attribute whose value is a context_var's value in the context
// current where the record is made, so that a request id kept in a context
// variable appears in every log line (`%RequestId%` in a format) without
// being passed to the logging call. Boost.Log acquires attribute values when
// it opens a record, on the logging thread: asynchronous sinks see the right
// value too.

#include <boost/contextvars/context_var.hpp>
#include <boost/log/attributes/attribute.hpp>
#include <boost/log/attributes/attribute_cast.hpp>
#include <boost/log/attributes/attribute_value.hpp>
#include <boost/log/attributes/attribute_value_impl.hpp>
#include <boost/throw_exception.hpp>
#include <stdexcept>

namespace boost {
namespace contextvars {
namespace logging {

/// A Boost.Log attribute whose value is `var`'s value in the current context
/// (else its default); with neither, the attribute has no value in the
/// record, and a formatter prints nothing for it. The variable must outlive
/// the attribute. For `%Name%` in a format string, `T` must be one of the
/// types Boost.Log formats by default (integers, floating point, strings)
/// or be registered with `boost::log::register_simple_formatter_factory<T, char>`.
template<class T>
class var_attribute: public boost::log::attribute
{
public:
    /// The attribute implementation: reads the variable on each record.
    class impl: public boost::log::attribute::impl
    {
    public:
        explicit impl(context_var<T> const& var) noexcept: var_(var) {}

        boost::log::attribute_value get_value() override
        {
            if(T const* p = var_.try_get())
            {
                return boost::log::attributes::make_attribute_value(*p);
            }
            return boost::log::attribute_value(); // empty: the record has no such value
        }

        context_var<T> const& var() const noexcept
        {
            return var_;
        }

    private:
        context_var<T> const& var_;
    };

    /// An attribute reading `var`.
    explicit var_attribute(context_var<T> const& var): boost::log::attribute(new impl(var)) {}

    /// For `boost::log::attribute_cast`.
    explicit var_attribute(boost::log::attributes::cast_source const& source):
        boost::log::attribute(source.as<impl>())
    {
    }

    /// The variable this attribute reads. Throws `std::logic_error` if the
    /// attribute is empty (made by `attribute_cast` from another attribute).
    context_var<T> const& var() const
    {
        impl const* p = dynamic_cast<impl const*>(get_impl());
        if(p == nullptr)
        {
            boost::throw_exception(std::logic_error("boost::contextvars::logging::var_attribute: empty attribute"));
        }
        return p->var();
    }
};

/// `var_attribute<T>(var)`.
template<class T>
var_attribute<T> make_var_attribute(context_var<T> const& var)
{
    return var_attribute<T>(var);
}

} // namespace logging
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_LOG_BOOST_LOG_HPP_INCLUDED
