#ifndef BOOST_CONTEXTVARS_MIRROR_HPP_INCLUDED
#define BOOST_CONTEXTVARS_MIRROR_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// thread_local_mirror: keeps a thread-local copy of a context variable up to
// date on every thread, for code that reads the thread-local and cannot be
// changed. Built on a switch watcher that is also told of set() and reset().
// Kotlin: ThreadContextElement.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/context.hpp>
#include <boost/contextvars/context_var.hpp>
#include <boost/contextvars/watch.hpp>
#include <boost/assert.hpp>

namespace boost {
namespace contextvars {

/// While it lives, calls `assign(p)` on a thread whenever what `var.try_get()`
/// returns there changes: after a switch to a context where it differs from
/// what was last assigned on that thread, and after `set()`/`reset()` of any
/// variable that changed it. `p` points to the value `var.get()` returns (valid
/// until the next call on that thread), or is null where `get()` would throw.
/// The constructor assigns on the calling thread at once; another thread gets
/// its first call at its first switch or set(). Takes one of the
/// `max_switch_watchers` places.
template<class T>
class thread_local_mirror
{
public:
    /// The function called with the new value.
    using assign_function = void (*)(T const* value);

    /// Mirrors `var` through `assign`. Throws `watcher_limit_error` when no
    /// watcher place is free.
    thread_local_mirror(context_var<T> const& var, assign_function assign):
        var_(var), assign_(assign)
    {
        BOOST_ASSERT(assign != nullptr);
        // slot_ is written before any thread can call changed(), which reads it.
        detail::add_watcher(&thread_local_mirror::changed, this, true, &slot_);
        changed(this);
    }

    thread_local_mirror(thread_local_mirror const&) = delete;
    thread_local_mirror& operator=(thread_local_mirror const&) = delete;

    /// Stops the calls; once it returns, `assign` runs on no thread (not to
    /// be destroyed from a watcher, where it could not wait for the other
    /// threads). The thread-locals keep their last values.
    ~thread_local_mirror()
    {
        detail::remove_watcher(slot_.id);
    }

private:
    static void changed(void* self) noexcept
    {
        thread_local_mirror const& m = *static_cast<thread_local_mirror const*>(self);
        T const* p = m.var_.try_get();
        // The value's address tells values apart: a value lives in one node
        // from set() to release, and this thread's context keeps the node
        // last assigned alive until a switch or set() tells the mirror.
        detail::mirror_memo& last = detail::this_thread_memo(m.slot_.index);
        if(last.id != m.slot_.id || last.value != p)
        {
            last.id = m.slot_.id;
            last.value = p;
            m.assign_(p);
        }
    }

    context_var<T> const& var_;
    assign_function assign_;
    detail::watch_registration slot_{};
};

} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_MIRROR_HPP_INCLUDED
