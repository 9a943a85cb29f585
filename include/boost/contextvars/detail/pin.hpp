#ifndef BOOST_CONTEXTVARS_DETAIL_PIN_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_PIN_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A snapshot plus a "pinned" flag in one word. context_executor carries one
// of these; keeping it to a single pointer is what lets the executor over a
// thread_pool (16 bytes) stay inside any_io_executor's 24-byte buffer.

#include <boost/contextvars/detail/map.hpp>
#include <cstdint>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

class pin
{
public:
    pin() noexcept = default;

    /// Pins `s` (which may be empty: an empty context is pinned too).
    explicit pin(snapshot s) noexcept: bits_(reinterpret_cast<std::uintptr_t>(s.detach()) | pinned_bit)
    {
    }

    BOOST_FORCEINLINE pin(pin const& o) noexcept: bits_(o.bits_)
    {
        if(node const* n = o.get())
        {
            add_ref(n);
        }
    }

    BOOST_FORCEINLINE pin(pin&& o) noexcept: bits_(std::exchange(o.bits_, 0)) {}

    pin& operator=(pin o) noexcept
    {
        std::swap(bits_, o.bits_);
        return *this;
    }

    BOOST_FORCEINLINE ~pin()
    {
        if(node const* n = get())
        {
            release(n);
        }
    }

    bool pinned() const noexcept
    {
        return (bits_ & pinned_bit) != 0;
    }

    /// A new reference to the pinned values (empty if none or unpinned).
    BOOST_FORCEINLINE snapshot values() const noexcept
    {
        node const* n = get();
        if(n != nullptr)
        {
            add_ref(n);
        }
        return snapshot(n);
    }

    friend bool operator==(pin const& a, pin const& b) noexcept
    {
        return a.bits_ == b.bits_;
    }

    friend bool operator!=(pin const& a, pin const& b) noexcept
    {
        return a.bits_ != b.bits_;
    }

private:
    static constexpr std::uintptr_t pinned_bit = 1;

    node const* get() const noexcept
    {
        return reinterpret_cast<node const*>(bits_ & ~pinned_bit);
    }

    std::uintptr_t bits_ = 0;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_PIN_HPP_INCLUDED
