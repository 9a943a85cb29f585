#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_LOCATION_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_LOCATION_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Whole-program tracking's location hook (BOOST_ASIO_HANDLER_LOCATION): the
// scope Asio opens around an initiation, where co_spawn's entry point forks
// its child's context, and where strict mode watches for an awaited spawn
// whose completion nothing pinned. Like tracking.hpp, read before Asio
// declares anything.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/asio/detail/tracking.hpp>
#include <boost/contextvars/strict.hpp>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>

namespace boost {
namespace contextvars {
namespace detail {

// A miss of is_co_spawn_entry_point (below): search the name once and
// remember the answer.
BOOST_NOINLINE inline bool is_co_spawn_entry_point_slow(char const* function, std::atomic<char const*>& other,
    std::atomic<char const*>& last_spawn) noexcept
{
    if(last_spawn.load(std::memory_order_relaxed) == function)
    {
        return true;
    }
    if(std::strstr(function, "co_spawn_entry_point") != nullptr)
    {
        last_spawn.store(function, std::memory_order_relaxed);
        return true;
    }
    other.store(function, std::memory_order_relaxed);
    return false;
}

// Whether `function` (a name Asio passes to BOOST_ASIO_HANDLER_LOCATION) is
// co_spawn's entry point. Boost 1.81 to 1.83 pass the literal
// "co_spawn_entry_point"; later versions pass a std::source_location's
// function name, which g++ spells with the full signature. Every coroutine's
// co_await passes one too, its own function's name, so a program that
// interleaves a few coroutines cycles through a few names. They are string
// literals, never freed or reused, so the answer is remembered by address:
// the names that are not the entry point in a small direct-mapped table, the
// last one that is in a slot of its own. Both are process-wide (names do not
// belong to a thread) and relaxed: each entry is one word, and a lost or
// overwritten entry only costs one more search. A hit costs a multiply, a
// load and a compare, and no access to the thread's state.
inline bool is_co_spawn_entry_point(char const* function) noexcept
{
    constexpr unsigned bits = 6;
    static std::atomic<char const*> others[1u << bits];
    static std::atomic<char const*> last_spawn;

    if(function == nullptr)
    {
        return false;
    }
    // Fibonacci hashing: literals sit at arbitrary byte addresses, close
    // together, and the product's top bits mix all of the address's.
    std::uint64_t h = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(function)) * 0x9E3779B97F4A7C15u;
    std::atomic<char const*>& other = others[h >> (64 - bits)];
    if(other.load(std::memory_order_relaxed) == function)
    {
        return false;
    }
    return is_co_spawn_entry_point_slow(function, other, last_spawn);
}

// What encloses the running code (thread_state::location_kind).
enum location_kind : unsigned char
{
    no_location = 0,     // no initiation in progress
    other_location = 1,  // an initiation: a coroutine suspending, a composed operation's step
    spawn_location = 2   // co_spawn's entry point (a fork)
};

/// BOOST_ASIO_HANDLER_LOCATION((file, line, function)) declares one of these.
/// At co_spawn's entry point it forks: the child's first step, which runs
/// inside this scope when the spawn dispatches it inline, gets a new context
/// with a copy of the spawner's values, and the spawner's context comes back
/// when the scope ends (the child has then suspended, or been posted).
///
/// A spawn awaited by a coroutine (co_await co_spawn(...), the awaitable
/// operators, parallel groups) is started inside the awaiter's own
/// initiation, and its child resumes the awaiter where no hook runs. The
/// completion is pinned to the awaiter's context when tracking_spawn.hpp
/// wrapped it, or a context_executor pinned one in that initiation (the
/// awaiter's executor is one, or bind_context re-issued the spawn on one);
/// otherwise (an Asio version tracking_spawn.hpp does not know) the
/// awaiter would resume in the context its child finished in, and strict
/// mode reports the spawn.
///
/// `Watch`: whether to keep the bookkeeping that check needs (the kind of
/// location and whether a completion was pinned in it). It is false where
/// tracking_spawn.hpp wraps every co_spawn's completion, and the check can
/// never fire: every coroutine's co_await passes through a location, and
/// there the bookkeeping would be most of what the hook costs. The macro picks
/// it per translation unit; the two are different types, so translation
/// units that differ never share one definition.
template<bool Watch>
class tracking_location
{
public:
    template<class Line>
    BOOST_FORCEINLINE tracking_location(char const*, Line, char const* function) noexcept
    {
        if constexpr(Watch)
        {
            state_ = state();
            previous_kind_ = state_->location_kind;
            previous_pinned_ = state_->completion_pinned;
        }
        if(is_co_spawn_entry_point(function))
        {
            fork();
        }
        else if constexpr(Watch)
        {
            state_->location_kind = other_location;
            state_->completion_pinned = false;
        }
    }

    tracking_location(tracking_location const&) = delete;
    tracking_location& operator=(tracking_location const&) = delete;

    BOOST_FORCEINLINE ~tracking_location()
    {
        if(forked_)
        {
            install_.~tracking_install(); // restores the spawner's context
        }
        if constexpr(Watch)
        {
            state_->location_kind = previous_kind_;
            state_->completion_pinned = previous_pinned_;
        }
    }

private:
    // The install exists only in a fork: every coroutine's co_await and
    // every composed operation's step passes through a location, and the
    // common case should not build and tear down a context it never uses.
    BOOST_NOINLINE void fork() noexcept
    {
        if constexpr(Watch)
        {
            if(strict_on())
            {
                report_unbound_spawn();
                // An awaited spawn whose work guards did not pin the awaiter's
                // context (no context_executor among them).
                if(previous_kind_ == other_location && !previous_pinned_)
                {
                    report_awaited_spawn();
                }
            }
            state_->location_kind = spawn_location;
        }
        ::new(static_cast<void*>(&install_)) tracking_install();
        forked_ = true;
        install_.install(fork_capture());
    }

    // Once per process: every co_spawn's completion is unbound alike.
    BOOST_NOINLINE static void report_unbound_spawn() noexcept
    {
        static std::atomic<bool> reported{false};
        if(reported.exchange(true, std::memory_order_relaxed))
        {
            return;
        }
        try
        {
            strict_report_violation(strict_violation::unverified_asio,
                "co_spawn under whole-program tracking on an Asio version Boost.ContextVars has not verified "
                "(see asio/detail/asio_version.hpp): its completion handler runs in the context its child "
                "finished in, and asio::spawn's coroutine is not given a context of its own; pass "
                "cv::bind_context(token) to co_spawn, or use a verified Boost");
        }
        catch(...)
        {
        }
    }

    BOOST_NOINLINE static void report_awaited_spawn() noexcept
    {
        try
        {
            strict_report_violation(strict_violation::awaited_spawn_under_tracking,
                "co_spawn awaited by a coroutine under whole-program tracking: the awaiting coroutine would "
                "resume in the context its child finished in; pass cv::bind_context(token) to this co_spawn");
        }
        catch(...)
        {
        }
    }

    thread_state* state_ = nullptr; // only when watching
    unsigned char previous_kind_ = no_location;
    bool previous_pinned_ = false;
    bool forked_ = false;
    union
    {
        tracking_install install_;
    };
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_LOCATION_HPP_INCLUDED
