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

/// The current context's values, continuing it when the running handler
/// continues the context it was captured from.
BOOST_FORCEINLINE capture tracking_capture() noexcept
{
    thread_state* s = state();
    return capture_of(s->current, s->continuing);
}

/// BOOST_ASIO_HANDLER_CREATION((context, op, object_type, object, native, name))
template<class ExecutionContext, class Op, class... Rest>
BOOST_FORCEINLINE void tracking_creation(ExecutionContext const&, Op& op, Rest const&...) noexcept
{
    // A new operation: its capture is empty, nothing to release.
    ::new(static_cast<void*>(&static_cast<tracked_handler&>(op).contextvars_capture_))
        packed_capture(tracking_capture(), false);
}

// Makes `c` current (and `continuing` the thread's flag) until restore().
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
        bool continues = c.continues;
        bool keeps_identity = c.keeps_identity;
        context_ = context_access::make(std::move(c.values), keeps_identity);
        state_ = state();
        previous_ = state_->current;
        previous_continuing_ = state_->continuing;
        state_->current = &context_;
        state_->continuing = continues;
    }

    void restore() noexcept
    {
        if(state_ != nullptr)
        {
            state_->current = previous_;
            state_->continuing = previous_continuing_;
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
            s->continuing = previous_continuing_;
        }
        state_ = nullptr;
    }

private:
    context context_;
    thread_state* state_ = nullptr;
    context* previous_ = nullptr;
    bool previous_continuing_ = false;
};

/// BOOST_ASIO_HANDLER_COMPLETION((op)) declares one of these: it takes the
/// capture out of the operation before Asio frees it, building the handler's
/// context in place, and BOOST_ASIO_HANDLER_INVOCATION_BEGIN/END make that
/// context current around the handler. The destructor restores the thread's
/// context if the handler threw past INVOCATION_END.
class tracking_completion
{
public:
    template<class Op>
    explicit tracking_completion(Op& op) noexcept:
        tracking_completion(static_cast<tracked_handler&>(op).contextvars_capture_.take())
    {
    }

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
        previous_continuing_ = state_->continuing;
        state_->current = &context_;
        state_->continuing = continues_;
    }

    BOOST_FORCEINLINE void invocation_end() noexcept
    {
        if(state_ != nullptr)
        {
            state_->current = previous_;
            state_->continuing = previous_continuing_;
            state_ = nullptr;
        }
    }

private:
    explicit tracking_completion(capture c) noexcept:
        context_(context_access::make(std::move(c.values), c.keeps_identity)), continues_(c.continues)
    {
    }

    context context_;
    thread_state* state_ = nullptr;
    context* previous_ = nullptr;
    bool previous_continuing_ = false;
    bool continues_;
};

// Whether `function` (a name Asio passes to BOOST_ASIO_HANDLER_LOCATION) is
// co_spawn's entry point. Boost 1.81 to 1.83 pass the literal
// "co_spawn_entry_point"; later versions pass a std::source_location's
// function name, which g++ spells with the full signature. Names are string
// literals, so a one-entry cache of the last name of each kind keeps both the
// common case (a coroutine's own co_await) and a loop of spawns to one or two
// comparisons instead of a search of a long signature.
inline bool is_co_spawn_entry_point(char const* function) noexcept
{
    static thread_local char const* last_other = nullptr;
    static thread_local char const* last_spawn = nullptr;
    if(function == nullptr || function == last_other)
    {
        return false;
    }
    if(function == last_spawn)
    {
        return true;
    }
    if(std::strstr(function, "co_spawn_entry_point") != nullptr)
    {
        last_spawn = function;
        return true;
    }
    last_other = function;
    return false;
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
class tracking_location
{
public:
    template<class Line>
    tracking_location(char const*, Line, char const* function) noexcept: state_(state())
    {
        previous_kind_ = state_->location_kind;
        previous_pinned_ = state_->completion_pinned;
        if(is_co_spawn_entry_point(function))
        {
            // An awaited spawn whose work guards did not pin the awaiter's
            // context (no context_executor among them).
            if(previous_kind_ == other_location && !previous_pinned_ && strict_on())
            {
                report_awaited_spawn();
            }
            state_->location_kind = spawn_location;
            capture child = capture_current(false); // a new identity
            child.continues = true;                 // which the child's steps continue
            install_.install(std::move(child));
        }
        else
        {
            state_->location_kind = other_location;
            state_->completion_pinned = false;
        }
    }

    tracking_location(tracking_location const&) = delete;
    tracking_location& operator=(tracking_location const&) = delete;

    ~tracking_location()
    {
        install_.restore();
        state_->location_kind = previous_kind_;
        state_->completion_pinned = previous_pinned_;
    }

private:
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

    thread_state* state_;
    unsigned char previous_kind_;
    bool previous_pinned_;
    tracking_install install_;
};


} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_HPP_INCLUDED
