#ifndef BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_HPP_INCLUDED
#define BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The machinery behind whole-program tracking: what Asio's custom handler
// tracking hooks do once <boost/contextvars/asio/handler_tracking.hpp> names
// them. Asio expands the hooks inside its own headers, before most of Asio is
// declared, so nothing here includes or names Asio: the hooks are templates
// that take Asio's objects as they come.
//
// The rules, in Asio's terms:
// - creation: an operation (a posted function, a timer wait, a socket read,
//   a strand's queued function, a coroutine's resumption...) captures the
//   context current when it is created, in the initiating code;
// - completion and invocation: the handler runs in a new context holding
//   the captured values, which continues the capturing context's identity
//   when the code that created the operation was itself continuing one;
// - a coroutine's first step is a fork: at co_spawn's entry point the child
//   gets a new context holding a copy of the spawner's values, and the
//   spawner gets its own context back when the child first suspends.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/asio/detail/packed_capture.hpp>
#include <boost/contextvars/strict.hpp>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

namespace boost {
namespace contextvars {
namespace detail {

/// The base Asio gives every operation object: the capture, one word.
class tracked_handler
{
public:
    packed_capture contextvars_capture_;
};

/// The current context's values, continuing it when it is a handler's that
/// continues the context it was captured from (a coroutine's step).
BOOST_FORCEINLINE capture tracking_capture() noexcept
{
    context const* c = state()->current;
    return capture_of(c, c != nullptr && context_access::continuing(*c));
}

/// BOOST_ASIO_HANDLER_CREATION((context, op, object_type, object, native, name))
template<class ExecutionContext, class Op, class... Rest>
BOOST_FORCEINLINE void tracking_creation(ExecutionContext const&, Op& op, Rest const&...) noexcept
{
    // A new operation: its capture is empty, nothing to release.
    ::new(static_cast<void*>(&static_cast<tracked_handler&>(op).contextvars_capture_))
        packed_capture(tracking_capture(), false);
}

/// What a coroutine's first step runs with: a new context (a new identity)
/// holding a copy of the current context's values, which the operations the
/// coroutine starts continue, so that its identity survives its suspensions.
inline capture fork_capture() noexcept
{
    capture child = capture_current(false);
    child.continues = true;
    return child;
}

// Makes a context holding `c` current until restore().
class tracking_install
{
public:
    tracking_install() noexcept = default;
    tracking_install(tracking_install const&) = delete;
    tracking_install& operator=(tracking_install const&) = delete;

    ~tracking_install()
    {
        restore();
    }

    void install(capture c) noexcept
    {
        bool keeps_identity = c.keeps_identity;
        context_ = context_access::make(std::move(c.values), keeps_identity, c.continues);
        state_ = state();
        previous_ = state_->current;
        state_->current = &context_;
    }

    void restore() noexcept
    {
        if(state_ != nullptr)
        {
            state_->current = previous_;
            state_ = nullptr;
        }
    }

    /// For code that may end on another thread than it began (a stackful
    /// coroutine's body): restores the previous context only if this one is
    /// still current on the calling thread, i.e. the code never suspended.
    /// Once it has, the handler that resumed it last owns the thread's
    /// context, and the thread it began on has long moved on.
    void restore_if_still_current() noexcept
    {
        thread_state* s = state();
        if(state_ != nullptr && s->current == &context_)
        {
            s->current = previous_;
        }
        state_ = nullptr;
    }

private:
    context context_;
    thread_state* state_ = nullptr;
    context* previous_ = nullptr;
};

/// BOOST_ASIO_HANDLER_COMPLETION((op)) declares one of these first: the
/// handler's context, built in place from the operation's capture before
/// Asio frees the operation.
class tracking_handler_context
{
public:
    template<class Op>
    explicit tracking_handler_context(Op& op) noexcept:
        tracking_handler_context(static_cast<tracked_handler&>(op).contextvars_capture_.take())
    {
    }

    tracking_handler_context(tracking_handler_context const&) = delete;
    tracking_handler_context& operator=(tracking_handler_context const&) = delete;

private:
    friend class tracking_completion;

    BOOST_FORCEINLINE explicit tracking_handler_context(capture c) noexcept:
        context_(context_access::make(std::move(c.values), c.keeps_identity, c.continues))
    {
    }

    context context_;
};

/// ... and then one of these, which BOOST_ASIO_HANDLER_INVOCATION_BEGIN/END
/// use to make that context current around the handler. The destructor
/// restores the thread's context if the handler threw past INVOCATION_END.
/// The two are separate objects because the context's address is published
/// to the thread state: kept apart, the bookkeeping here does not escape, so
/// the optimiser keeps it in registers across the handler's call and drops
/// the destructor's second restore on the normal path.
class tracking_completion
{
public:
    BOOST_FORCEINLINE explicit tracking_completion(tracking_handler_context& c) noexcept: handler_context_(c) {}

    tracking_completion(tracking_completion const&) = delete;
    tracking_completion& operator=(tracking_completion const&) = delete;

    BOOST_FORCEINLINE ~tracking_completion()
    {
        invocation_end();
    }

    template<class... Args>
    BOOST_FORCEINLINE void invocation_begin(Args const&...) noexcept
    {
        state_ = state();
        previous_ = state_->current;
        state_->current = &handler_context_.context_;
    }

    BOOST_FORCEINLINE void invocation_end() noexcept
    {
        if(state_ != nullptr)
        {
            state_->current = previous_;
            state_ = nullptr;
        }
    }

private:
    tracking_handler_context& handler_context_;
    thread_state* state_ = nullptr;
    context* previous_ = nullptr;
};

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

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_HPP_INCLUDED
