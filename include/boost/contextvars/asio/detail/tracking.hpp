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
//   spawner gets its own context back when the child first suspends
//   (tracking_location.hpp).

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/switch_notify.hpp>
#include <boost/contextvars/asio/detail/packed_capture.hpp>
#include <boost/contextvars/asio/detail/resumption.hpp>
#include <boost/assert.hpp>
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

/// What the work `Work` (a handler, or an operation holding one) takes of
/// `c`, the current context of some thread: continuing it when it is a
/// handler's that continues the context it was captured from (a coroutine's
/// step). A coroutine's resumption takes everything; new work takes what
/// new work takes (flow.hpp). Work whose type Asio erased may be either: it
/// counts as a resumption where a coroutine may be resuming, in a context
/// that continues one, and as new work elsewhere.
template<class Work>
BOOST_FORCEINLINE packed_capture tracking_capture_of(context const* c) noexcept
{
    constexpr work_kind kind = resumes_coroutine<Work>::value ? work_kind::resumption :
                               holds_erased_function<Work>::value ? work_kind::unknown :
                                                                    work_kind::new_work;
    return packed_capture::capture_for(c, c != nullptr && context_access::continuing(*c), kind, false);
}

/// tracking_capture_of() the current context.
template<class Work>
BOOST_FORCEINLINE packed_capture tracking_capture() noexcept
{
    return tracking_capture_of<Work>(state()->current);
}

// Drops what a Beast operation offered and no operation took: it is only
// good until the handler or step that offered it ends.
BOOST_NOINLINE inline void drop_offered_capture(thread_state* s) noexcept
{
    packed_capture dropped = packed_capture::adopt_marked(s->offered_capture);
    s->offered_capture = 0;
}

/// BOOST_ASIO_HANDLER_CREATION((context, op, object_type, object, native, name))
template<class ExecutionContext, class Op, class... Rest>
BOOST_FORCEINLINE void tracking_creation(ExecutionContext const&, Op& op, Rest const&...) noexcept
{
    // A new operation: its capture is empty, nothing to release. It takes
    // the current context, unless the Beast operation whose step creates it
    // offered its own (tracking_beast.hpp).
    thread_state* s = state();
    void* where = &static_cast<tracked_handler&>(op).contextvars_capture_;
    if(BOOST_UNLIKELY(s->offered_capture != 0))
    {
        ::new(where) packed_capture(packed_capture::adopt_marked(s->offered_capture));
        s->offered_capture = 0;
        return;
    }
    ::new(where) packed_capture(tracking_capture_of<Op>(s->current));
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
        if(state_->offered_capture != 0)
        {
            drop_offered_capture(state_);
        }
        previous_ = state_->current;
        switch_current(state_, &context_);
    }

    void restore() noexcept
    {
        if(state_ != nullptr)
        {
            switch_current(state_, previous_);
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
            switch_current(s, previous_);
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
        context_(static_cast<tracked_handler&>(op).contextvars_capture_.take_context())
    {
    }

    tracking_handler_context(tracking_handler_context const&) = delete;
    tracking_handler_context& operator=(tracking_handler_context const&) = delete;

private:
    friend class tracking_completion;

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
        // The thread-local read inline, not through state(): Asio expands
        // this hook only in an operation's completion function (do_complete,
        // do_immediate, a channel's do_action), which it calls through a
        // pointer, so it is never part of a coroutine body and no suspension
        // lies between this read and its uses. The assertions check it in
        // every test build that runs handlers.
        state_ = &tls_state;
        BOOST_ASSERT(state_ == state());
        previous_ = state_->current;
        switch_current(state_, &handler_context_.context_);
    }

    BOOST_FORCEINLINE void invocation_end() noexcept
    {
        if(state_ != nullptr)
        {
            BOOST_ASSERT(state_ == state());
            switch_current(state_, previous_);
            if(BOOST_UNLIKELY(state_->offered_capture != 0))
            {
                drop_offered_capture(state_);
            }
            state_ = nullptr;
        }
    }

private:
    tracking_handler_context& handler_context_;
    thread_state* state_ = nullptr;
    context* previous_ = nullptr;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_ASIO_DETAIL_TRACKING_HPP_INCLUDED
