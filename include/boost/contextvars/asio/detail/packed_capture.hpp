#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_PACKED_CAPTURE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_PACKED_CAPTURE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// A capture (values and its two flags) plus a "pinned" flag in one word.
// context_executor carries one as its pin, and whole-program tracking puts
// one in every Asio operation. One pointer is what keeps the executor over a
// thread_pool (16 bytes) inside any_io_executor's 24-byte buffer and the
// tracked operation base as small as a pointer. Roots are 8-byte aligned, so
// the flags live in the pointer's low bits.

#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/map.hpp>
#include <cstdint>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

class packed_capture
{
public:
    packed_capture() noexcept = default;

    /// Holds `c`; `pinned` marks a context_executor's pin (an empty context
    /// is pinned too).
    explicit packed_capture(capture c, bool pinned = true) noexcept:
        bits_(reinterpret_cast<std::uintptr_t>(c.values.detach()) | (pinned ? pinned_bit : 0) |
              (c.continues ? continues_bit : 0) | (c.keeps_identity ? identity_bit : 0))
    {
    }

    BOOST_FORCEINLINE packed_capture(packed_capture const& o) noexcept: bits_(o.bits_)
    {
        if(node const* n = o.get())
        {
            add_ref(n);
        }
    }

    BOOST_FORCEINLINE packed_capture(packed_capture&& o) noexcept: bits_(std::exchange(o.bits_, 0)) {}

    packed_capture& operator=(packed_capture o) noexcept
    {
        std::swap(bits_, o.bits_);
        return *this;
    }

    BOOST_FORCEINLINE ~packed_capture()
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

    /// A copy of the capture (a new reference to its values).
    BOOST_FORCEINLINE capture values() const noexcept
    {
        node const* n = get();
        if(n != nullptr)
        {
            add_ref(n);
        }
        return unpack(n);
    }

    /// Moves the capture out; `*this` becomes empty.
    BOOST_FORCEINLINE capture take() noexcept
    {
        node const* n = get();
        capture c = unpack(n);
        bits_ = 0;
        return c;
    }

    /// An unpinned capture's bits, given up, with the pinned bit set so that
    /// they are never zero (an empty context's are): `*this` becomes empty,
    /// and adopt_marked() takes them back. For a word that means "nothing"
    /// at zero (thread_state::offered_capture).
    std::uintptr_t release_marked() noexcept
    {
        return std::exchange(bits_, 0) | pinned_bit;
    }

    static packed_capture adopt_marked(std::uintptr_t bits) noexcept
    {
        packed_capture p;
        p.bits_ = bits & ~pinned_bit;
        return p;
    }

    friend bool operator==(packed_capture const& a, packed_capture const& b) noexcept
    {
        return a.bits_ == b.bits_;
    }

    friend bool operator!=(packed_capture const& a, packed_capture const& b) noexcept
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

    capture unpack(node const* adopt) const noexcept
    {
        return capture{snapshot(adopt), (bits_ & continues_bit) != 0, (bits_ & identity_bit) != 0};
    }

    std::uintptr_t bits_ = 0;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_PACKED_CAPTURE_HPP_INCLUDED
