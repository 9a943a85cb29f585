#ifndef BOOST_CONTEXTVARS_DETAIL_PIN_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_PIN_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A capture (values and its two flags) and a "pinned" flag in one word.
// context_executor carries one of these; keeping it to a single pointer is
// what lets the executor over a thread_pool (16 bytes) stay inside
// any_io_executor's 24-byte buffer. Roots are 8-byte aligned, so the two
// flags live in the pointer's low bits.

#include <boost/contextvars/context.hpp>
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

    /// Pins `c` (whose values may be empty: an empty context is pinned too).
    explicit pin(capture c) noexcept:
        bits_(reinterpret_cast<std::uintptr_t>(c.values.detach()) | pinned_bit |
              (c.continues ? continues_bit : 0) | (c.keeps_identity ? identity_bit : 0))
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

    /// A new reference to the pinned capture (empty if none or unpinned).
    BOOST_FORCEINLINE capture values() const noexcept
    {
        node const* n = get();
        if(n != nullptr)
        {
            add_ref(n);
        }
        return capture{snapshot(n), (bits_ & continues_bit) != 0, (bits_ & identity_bit) != 0};
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
    static constexpr std::uintptr_t continues_bit = 2;
    static constexpr std::uintptr_t identity_bit = 4;
    static constexpr std::uintptr_t flag_bits = pinned_bit | continues_bit | identity_bit;
    static_assert(alignof(node) >= 8, "the flags live in a root pointer's low bits");

    node const* get() const noexcept
    {
        return reinterpret_cast<node const*>(bits_ & ~flag_bits);
    }

    std::uintptr_t bits_ = 0;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_PIN_HPP_INCLUDED
