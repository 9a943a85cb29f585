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
#include <boost/contextvars/detail/capture.hpp>
#include <boost/contextvars/detail/context_access.hpp>
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
        bits_(capture_word::pack(std::move(c)) | (pinned ? capture_word::pinned : 0))
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

    /// capture_for(c, continues, kind), with `pinned`, built in a register.
    BOOST_FORCEINLINE static packed_capture capture_for(context const* c, bool continues, work_kind kind,
        bool pinned) noexcept
    {
        return packed_capture(capture_word_for(c, continues, kind) | (pinned ? capture_word::pinned : 0), adopt);
    }

    bool pinned() const noexcept
    {
        return (bits_ & capture_word::pinned) != 0;
    }

    /// A copy of the capture (a new reference to its values).
    BOOST_FORCEINLINE capture values() const noexcept
    {
        if(node const* n = get())
        {
            add_ref(n);
        }
        return capture_word::unpack(bits_);
    }

    /// Moves the capture out; `*this` becomes empty.
    BOOST_FORCEINLINE capture take() noexcept
    {
        return capture_word::unpack(std::exchange(bits_, 0));
    }

    /// Moves the capture out as the context a handler runs in (run_on's),
    /// built from the word in registers; `*this` becomes empty.
    BOOST_FORCEINLINE context take_context() noexcept
    {
        std::uintptr_t const w = std::exchange(bits_, 0);
        return context_access::make(snapshot(capture_word::root(w)), (w & capture_word::identity) != 0,
            (w & capture_word::continues) != 0);
    }

    /// An unpinned capture's bits, given up, with the pinned bit set so that
    /// they are never zero (an empty context's are): `*this` becomes empty,
    /// and adopt_marked() takes them back. For a word that means "nothing"
    /// at zero (thread_state::offered_capture).
    std::uintptr_t release_marked() noexcept
    {
        return std::exchange(bits_, 0) | capture_word::pinned;
    }

    static packed_capture adopt_marked(std::uintptr_t bits) noexcept
    {
        return packed_capture(bits & ~capture_word::pinned, adopt);
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
    // Built with its final bits, so that one built in place (an operation's)
    // is stored once, not zeroed first: the reference count's atomic
    // increment keeps the compiler from merging the two stores.
    enum adopt_t
    {
        adopt
    };

    BOOST_FORCEINLINE packed_capture(std::uintptr_t bits, adopt_t) noexcept: bits_(bits) {}

    node const* get() const noexcept
    {
        return capture_word::root(bits_);
    }

    std::uintptr_t bits_ = 0;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_PACKED_CAPTURE_HPP_INCLUDED
