#ifndef BOOST_CONTEXTVARS_DETAIL_NODE_CACHE_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_NODE_CACHE_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Each thread keeps the storage of the last value node it freed (one block,
// the "spare") for its next set(). A set() allocates a node, and the node it
// replaces is freed soon after, on the same thread: by the token, by reset(),
// by scoped_set, by a request's context dying before the next request sets
// its value. So the next allocation is usually of the size just freed, and
// reusing that block saves a malloc/free pair, about half of what set() costs.
// One block, not a free list: it is enough for that pattern and never holds
// memory worth mentioning. The block is freed when the thread exits (and the
// cache then closes, for nodes freed later in the thread's or the process's
// teardown); under AddressSanitizer it is poisoned while it waits, so a use
// of a freed node is still reported.

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/detail/current.hpp>
#include <cstddef>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
# define BOOST_CONTEXTVARS_DETAIL_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define BOOST_CONTEXTVARS_DETAIL_ASAN 1
# endif
#endif

#if defined(BOOST_CONTEXTVARS_DETAIL_ASAN)
# include <sanitizer/asan_interface.h>
# define BOOST_CONTEXTVARS_DETAIL_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
# define BOOST_CONTEXTVARS_DETAIL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
# define BOOST_CONTEXTVARS_DETAIL_POISON(p, n) ((void)(p), (void)(n))
# define BOOST_CONTEXTVARS_DETAIL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace boost {
namespace contextvars {
namespace detail {

// thread_state::node_cache_status. A thread starts `unused`; the first time
// it may keep a block it registers the exit cleanup (`open`); the cleanup
// leaves it `closed`, for good.
enum : unsigned char
{
    node_cache_unused = 0,
    node_cache_open = 1,
    node_cache_closed = 2
};

// Bigger nodes are not kept: a thread would otherwise hold on to a large
// value's block, and the saving matters for small nodes, whose cost is the
// allocator's, not the copy's.
constexpr std::size_t node_cache_max_size = 256;

/// Frees the calling thread's spare block now, if it has one. For tests that
/// count allocations; the library calls it at thread exit.
inline void release_spare_node() noexcept
{
    thread_state* s = state();
    if(void* p = s->spare_node)
    {
        std::size_t const size = s->spare_size;
        s->spare_node = nullptr;
        BOOST_CONTEXTVARS_DETAIL_UNPOISON(p, size);
        ::operator delete(p);
    }
}

// Registers the exit cleanup the first time the thread uses the cache; true
// if the cache is open (it is not once the cleanup ran). A thread_local with
// a destructor needs a guard and a registration, so it lives apart from
// thread_state, reached only here, out of line, like base_context().
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_NOINLINE inline bool open_node_cache(thread_state* s) noexcept
{
    if(s->node_cache_status != node_cache_unused)
    {
        return s->node_cache_status == node_cache_open;
    }
    struct closer
    {
        // Runs among the thread's thread_local destructors. Nodes freed after
        // it (by later thread_local or, on the main thread, static
        // destructors) go straight back to operator delete.
        ~closer()
        {
            state()->node_cache_status = node_cache_closed;
            release_spare_node();
        }
    };
    [[maybe_unused]] static thread_local closer c;
    s->node_cache_status = node_cache_open;
    return true;
}

/// Storage for a value node of `size` bytes: the thread's spare block if it
/// has that size, else ::operator new's. Only for types whose alignment
/// ::operator new(size) gives.
BOOST_FORCEINLINE void* allocate_value_node(thread_state* s, std::size_t size)
{
    void* p = s->spare_node;
    if(BOOST_LIKELY(p != nullptr) && BOOST_LIKELY(s->spare_size == size))
    {
        s->spare_node = nullptr;
        BOOST_CONTEXTVARS_DETAIL_UNPOISON(p, size);
        return p;
    }
    if(s->node_cache_status == node_cache_unused && size <= node_cache_max_size)
    {
        // A thread that makes nodes is likely to free some: registering the
        // cleanup now, while its thread_local destructors are still to run,
        // also covers a main thread whose first free comes from a static
        // destructor, too late for a new thread_local to be destroyed.
        open_node_cache(s);
    }
    return ::operator new(size);
}

/// Gives back the storage of a value node of `size` bytes, already
/// destroyed: it becomes the thread's spare block while the cache is open,
/// else it goes to ::operator delete. A spare the thread already had is
/// freed instead: the block just freed is the likelier size for the next
/// set(), and a spare of a size the thread no longer uses would otherwise
/// stay in the way for good.
BOOST_FORCEINLINE void deallocate_value_node(void* p, std::size_t size) noexcept
{
    thread_state* s = state();
    if(size <= node_cache_max_size &&
        (BOOST_LIKELY(s->node_cache_status == node_cache_open) || open_node_cache(s)))
    {
        void* old = s->spare_node;
        std::size_t const old_size = s->spare_size;
        s->spare_node = p;
        s->spare_size = size;
        BOOST_CONTEXTVARS_DETAIL_POISON(p, size);
        if(old != nullptr)
        {
            BOOST_CONTEXTVARS_DETAIL_UNPOISON(old, old_size);
            ::operator delete(old);
        }
        return;
    }
    ::operator delete(p);
}

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_NODE_CACHE_HPP_INCLUDED
