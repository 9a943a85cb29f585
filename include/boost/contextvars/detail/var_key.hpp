#ifndef BOOST_CONTEXTVARS_DETAIL_VAR_KEY_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_VAR_KEY_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// var_key: the non-template base of every context_var<T>, carrying what a
// context needs to find the variable's value: its dense index and its
// identity. class context depends on this key only, never on context_var<T>,
// so the dependency between the two headers runs one way.

#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/var_registry.hpp>
#include <cstdint>
#include <string_view>

namespace boost {
namespace contextvars {
namespace detail {

class var_key
{
public:
    var_key(var_key const&) = delete;
    var_key& operator=(var_key const&) = delete;

protected:
    // `local`: the variable's values stay out of captures for new work
    // (flow::none, see detail/split_root.hpp).
    var_key(std::string_view name, bool local): info_(name), index_(info_.get()->index), local_(local)
    {
        if(local)
        {
            flow_control_used.store(true, std::memory_order_relaxed);
        }
    }
    ~var_key() = default;

    var_info* info() const noexcept
    {
        return info_.get();
    }

    std::uint32_t index() const noexcept
    {
        return index_;
    }

private:
    friend std::uint32_t var_index(var_key const& k) noexcept;
    friend var_info const* var_identity(var_key const& k) noexcept;
    friend bool var_is_local(var_key const& k) noexcept;

    var_ref info_;
    std::uint32_t index_; // a copy of info_.get()->index: one load less on every lookup
    bool local_;
};

inline bool var_is_local(var_key const& k) noexcept
{
    return k.local_;
}

/// The key of `k`'s values in a context's trie.
inline std::uint32_t var_index(var_key const& k) noexcept
{
    return k.index_;
}

/// What a value stored for `k` names as its variable.
inline var_info const* var_identity(var_key const& k) noexcept
{
    return k.info_.get();
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_VAR_KEY_HPP_INCLUDED
