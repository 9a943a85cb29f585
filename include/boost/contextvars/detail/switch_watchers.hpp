// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The slow path of switch watchers: the process-wide table of at most eight
// watchers, the per-thread record that guards against re-entrancy and lets a
// removal wait until no thread still runs the removed watcher, and the calls
// themselves. Reached only once a watcher exists (detail/switch_notify.hpp).
//
// Removal without a lock on the calling side: a thread announces that it is
// calling watchers by making its sequence number odd (a sequentially
// consistent store) before it reads the table; a removal clears the slot
// (also sequentially consistent), then waits for every other thread whose
// number is odd to move on. Either the caller's store comes first, and the
// removal sees it and waits, or the clearing does, and the caller never sees
// the watcher. Each thread writes only its own number, so callers share no
// cache line.

// context.hpp comes first, outside this header's guard: it includes this
// header at its end, once class context is complete.
#include <boost/contextvars/context.hpp>

#ifndef BOOST_CONTEXTVARS_DETAIL_SWITCH_WATCHERS_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_SWITCH_WATCHERS_HPP_INCLUDED

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/context_access.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <boost/contextvars/detail/switch_notify.hpp>
#include <boost/contextvars/detail/throw.hpp>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace boost {
namespace contextvars {
namespace detail {

constexpr unsigned max_watchers = 8;

using watch_function = void (*)(void* user);

struct watch_slot
{
    std::atomic<watch_function> fn{nullptr};  // null: free, or being removed
    std::atomic<void*> user{nullptr};
    std::atomic<bool> on_update{false};       // a mirror: also after set()/reset()
    std::uint64_t id = 0;                     // the rest under watch_table::mutex
    bool taken = false;                       // until a removal has waited
};

// What a mirror last passed to its assign function on one thread: `value`
// counts only while `id` is the mirror's own, so a slot reused by a later
// mirror starts afresh on every thread.
struct mirror_memo
{
    std::uint64_t id = 0;
    void const* value = nullptr;
};

struct watch_thread
{
    std::atomic<std::uint64_t> seq{0};  // odd while this thread calls watchers
    unsigned char status = 0;           // 0 unknown to the table, 1 listed, 2 exited
    watch_thread* prev = nullptr;
    watch_thread* next = nullptr;
    mirror_memo memo[max_watchers] = {};
};

struct watch_table
{
    std::mutex mutex;          // the slots' ids and taken flags, and the thread list
    watch_slot slots[max_watchers];
    std::uint64_t last_id = 0;
    watch_thread* threads = nullptr;
};

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline watch_table watch_table_state;

// Constant-initialised and trivially destructible, as thread_state is.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline thread_local watch_thread watch_thread_state;

BOOST_NOINLINE inline watch_thread* this_watch_thread() noexcept
{
    watch_thread* p = &watch_thread_state;
    BOOST_CONTEXTVARS_OPAQUE_POINTER(p);
    return p;
}

// Unlists the thread when it exits: from then on it calls no watcher (its
// thread_locals, which mirrors write, may be gone).
struct watch_thread_exit
{
    watch_thread* w;

    ~watch_thread_exit()
    {
        std::lock_guard<std::mutex> lock(watch_table_state.mutex);
        if(w->prev != nullptr)
        {
            w->prev->next = w->next;
        }
        else
        {
            watch_table_state.threads = w->next;
        }
        if(w->next != nullptr)
        {
            w->next->prev = w->prev;
        }
        w->status = 2;
    }
};

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_NOINLINE inline void list_watch_thread(watch_thread* w) noexcept
{
    static thread_local watch_thread_exit on_exit{w};
    std::lock_guard<std::mutex> lock(watch_table_state.mutex);
    w->next = watch_table_state.threads;
    if(w->next != nullptr)
    {
        w->next->prev = w;
    }
    watch_table_state.threads = w;
    w->status = 1;
}

inline bool in_switch_watcher() noexcept
{
    return (this_watch_thread()->seq.load(std::memory_order_relaxed) & 1) != 0;
}

// Calls the watchers (only the mirrors with `updates_only`), unless this
// thread calls them already: a watcher that switches context or sets a
// variable does not call watchers again (its own switches are its business,
// and a second round would see the thread half-way through the first).
inline void call_watchers(watch_thread* w, bool updates_only) noexcept
{
    if(w->status != 1)
    {
        if(w->status == 2)
        {
            return;
        }
        list_watch_thread(w);
    }
    std::uint64_t seq = w->seq.load(std::memory_order_relaxed);
    w->seq.store(seq + 1, std::memory_order_seq_cst);
    for(watch_slot& slot: watch_table_state.slots)
    {
        watch_function fn = slot.fn.load(std::memory_order_seq_cst);
        if(fn != nullptr && (!updates_only || slot.on_update.load(std::memory_order_relaxed)))
        {
            fn(slot.user.load(std::memory_order_relaxed)); // noexcept here: a throw terminates
        }
    }
    w->seq.store(seq + 2, std::memory_order_release);
}

inline node const* values_of(context const* c) noexcept
{
    return c != nullptr ? context_access::root(*c).get() : nullptr;
}

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_NOINLINE inline void switch_current_notify(
    thread_state* s, context* to) noexcept
{
    context* from = s->current;
    s->current = to;
    watch_thread* w = this_watch_thread();
    // A switch between two contexts holding the same values changes nothing
    // any var.get() returns: not a change.
    if((w->seq.load(std::memory_order_relaxed) & 1) != 0 || values_of(from) == values_of(to))
    {
        return;
    }
    call_watchers(w, false);
}

BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_NOINLINE inline void update_notify() noexcept
{
    watch_thread* w = this_watch_thread();
    if((w->seq.load(std::memory_order_relaxed) & 1) == 0)
    {
        call_watchers(w, true);
    }
}

struct watch_registration
{
    std::uint64_t id;
    unsigned index;
};

BOOST_NORETURN BOOST_NOINLINE inline void throw_watcher_limit_error(
    boost::source_location const& loc = BOOST_CURRENT_LOCATION)
{
    boost::throw_exception(watcher_limit_error("cannot add a switch watcher: all 8 places are taken "
        "(each thread_local_mirror and otel::thread_context takes one)"), loc);
}

/// Adds a watcher; with `on_update`, also called after set() and reset().
/// `out`, if given, receives the registration before any thread can call the
/// watcher, which may read it there.
inline watch_registration add_watcher(watch_function fn, void* user, bool on_update,
    watch_registration* out = nullptr)
{
    watch_table& t = watch_table_state;
    std::unique_lock<std::mutex> lock(t.mutex);
    for(unsigned i = 0; i != max_watchers; ++i)
    {
        watch_slot& slot = t.slots[i];
        if(!slot.taken)
        {
            slot.taken = true;
            slot.id = ++t.last_id;
            slot.user.store(user, std::memory_order_relaxed);
            slot.on_update.store(on_update, std::memory_order_relaxed);
            if(out != nullptr)
            {
                *out = {slot.id, i};
            }
            slot.fn.store(fn, std::memory_order_seq_cst);
            watch_flags.fetch_add(1 + (on_update ? watch_update_unit : 0), std::memory_order_seq_cst);
            return {slot.id, i};
        }
    }
    lock.unlock();
    throw_watcher_limit_error();
}

// Whether `w` is still a listed thread whose sequence number is `seq`.
inline bool still_calling(watch_thread const* w, std::uint64_t seq)
{
    std::lock_guard<std::mutex> lock(watch_table_state.mutex);
    for(watch_thread const* t = watch_table_state.threads; t != nullptr; t = t->next)
    {
        if(t == w)
        {
            return w->seq.load(std::memory_order_acquire) == seq;
        }
    }
    return false; // it exited
}

// Waits until every other thread that was calling watchers when a watcher
// was cleared has returned from that round. The table's lock is not held
// while waiting, so those threads' watchers may add and remove watchers.
inline void wait_for_callers(watch_thread const* self)
{
    struct calling
    {
        watch_thread const* w;
        std::uint64_t seq;
    };
    std::vector<calling> waits;
    {
        std::lock_guard<std::mutex> lock(watch_table_state.mutex);
        for(watch_thread const* w = watch_table_state.threads; w != nullptr; w = w->next)
        {
            std::uint64_t seq = w->seq.load(std::memory_order_seq_cst);
            if(w != self && (seq & 1) != 0)
            {
                waits.push_back({w, seq});
            }
        }
    }
    for(calling const& c: waits)
    {
        while(still_calling(c.w, c.seq))
        {
            std::this_thread::yield();
        }
    }
}

/// Removes the watcher `id`; once this returns, no thread runs it or will,
/// unless it is called from a watcher: it then does not wait for other
/// threads (two threads removing watchers from watchers would wait for each
/// other forever). False if there is no such watcher.
inline bool remove_watcher(std::uint64_t id) noexcept
{
    watch_table& t = watch_table_state;
    watch_slot* removed = nullptr;
    {
        std::lock_guard<std::mutex> lock(t.mutex);
        for(watch_slot& slot: t.slots)
        {
            if(slot.taken && slot.id == id && slot.fn.load(std::memory_order_relaxed) != nullptr)
            {
                bool on_update = slot.on_update.load(std::memory_order_relaxed);
                slot.fn.store(nullptr, std::memory_order_seq_cst);
                watch_flags.fetch_sub(1 + (on_update ? watch_update_unit : 0), std::memory_order_seq_cst);
                removed = &slot; // stays taken until the wait is over
                break;
            }
        }
    }
    if(removed == nullptr)
    {
        return false;
    }
    watch_thread* self = this_watch_thread();
    if((self->seq.load(std::memory_order_relaxed) & 1) == 0)
    {
        wait_for_callers(self);
    }
    std::lock_guard<std::mutex> lock(t.mutex);
    removed->id = 0;
    removed->taken = false;
    return true;
}

/// What the mirror in slot `index` last assigned on the calling thread.
inline mirror_memo& this_thread_memo(unsigned index) noexcept
{
    return this_watch_thread()->memo[index];
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_SWITCH_WATCHERS_HPP_INCLUDED
