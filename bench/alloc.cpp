// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Heap accounting with a counting global operator new/delete. Prints one JSON
// object per line ("kind" says which measurement):
//
//   handler    allocations and bytes per handler for each propagation scenario
//              of common.hpp, as (count(n2) - count(n1)) / (n2 - n1), which
//              cancels the set-up cost
//   context    bytes to build a context of N vars by N set() calls: bytes still
//              live afterwards, bytes allocated in total, allocations, per var
//   marginal   one more set() on a context whose snapshot is shared (a copy is
//              alive), for a new var and for a var already set
//   any_copy   any_io_executor over various executors: sizeof, whether it fits
//              the small buffer, allocations on construction, copy, and the
//              require/prefer chain that post() performs
//
// Allocations are counted at operator new and at malloc (Asio's handler
// memory comes from aligned_alloc). Bytes are the sizes asked for (no malloc
// overhead).

#include "common.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

// ---- the counting allocator ---------------------------------------------------
//
// Two levels, so that nothing is missed and nothing counted twice:
// operator new/delete (what the library uses) put a header with the size in
// front of each block and take the memory from __libc_malloc directly; the
// malloc family (malloc, calloc, realloc, aligned_alloc, posix_memalign,
// memalign) is replaced too, because Asio's recycling handler allocator takes
// its memory from std::aligned_alloc, not from operator new. glibc supports
// replacing malloc this way and exports the __libc_* entry points.

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}

namespace counting {

// operator new level: exact requested sizes, live bytes known
std::atomic<std::size_t> new_allocs{0};
std::atomic<std::size_t> new_frees{0};
std::atomic<std::size_t> new_bytes{0};
std::atomic<std::size_t> new_freed_bytes{0};
// malloc level: calls and requested sizes
std::atomic<std::size_t> c_allocs{0};
std::atomic<std::size_t> c_frees{0};
std::atomic<std::size_t> c_bytes{0};

constexpr std::size_t header = 16; // keeps the default 16-byte alignment

void* allocate(std::size_t n, std::size_t align, bool nothrow)
{
    std::size_t head = align > header ? align : header;
    void* raw = align > header ? __libc_memalign(align, head + n) : __libc_malloc(head + n);
    if(raw == nullptr)
    {
        if(nothrow)
        {
            return nullptr;
        }
        throw std::bad_alloc();
    }
    char* p = static_cast<char*>(raw) + head;
    reinterpret_cast<std::size_t*>(p)[-1] = n;
    new_allocs.fetch_add(1, std::memory_order_relaxed);
    new_bytes.fetch_add(n, std::memory_order_relaxed);
    return p;
}

void deallocate(void* p, std::size_t align) noexcept
{
    if(p == nullptr)
    {
        return;
    }
    std::size_t head = align > header ? align : header;
    std::size_t n = static_cast<std::size_t*>(p)[-1];
    new_frees.fetch_add(1, std::memory_order_relaxed);
    new_freed_bytes.fetch_add(n, std::memory_order_relaxed);
    __libc_free(static_cast<char*>(p) - head);
}

inline void counted_c(std::size_t n) noexcept
{
    c_allocs.fetch_add(1, std::memory_order_relaxed);
    c_bytes.fetch_add(n, std::memory_order_relaxed);
}

struct snapshot
{
    std::size_t allocs, frees, bytes, freed_bytes; // freed_bytes: operator new level only

    static snapshot now()
    {
        return {new_allocs.load() + c_allocs.load(), new_frees.load() + c_frees.load(),
                new_bytes.load() + c_bytes.load(), new_freed_bytes.load()};
    }

    snapshot operator-(snapshot const& o) const
    {
        return {allocs - o.allocs, frees - o.frees, bytes - o.bytes, freed_bytes - o.freed_bytes};
    }

    // Meaningful when only operator new was used (the library's own memory).
    long long live_bytes() const
    {
        return static_cast<long long>(bytes) - static_cast<long long>(freed_bytes);
    }

    long long live_blocks() const
    {
        return static_cast<long long>(allocs) - static_cast<long long>(frees);
    }
};

} // namespace counting

extern "C" {

void* malloc(std::size_t n) noexcept
{
    counting::counted_c(n);
    return __libc_malloc(n);
}

void* calloc(std::size_t k, std::size_t n) noexcept
{
    counting::counted_c(k * n);
    return __libc_calloc(k, n);
}

void* realloc(void* p, std::size_t n) noexcept
{
    if(p != nullptr)
    {
        counting::c_frees.fetch_add(1, std::memory_order_relaxed);
    }
    if(n != 0 || p == nullptr)
    {
        counting::counted_c(n);
    }
    return __libc_realloc(p, n);
}

void* aligned_alloc(std::size_t align, std::size_t n) noexcept
{
    counting::counted_c(n);
    return __libc_memalign(align, n);
}

void* memalign(std::size_t align, std::size_t n) noexcept
{
    counting::counted_c(n);
    return __libc_memalign(align, n);
}

int posix_memalign(void** out, std::size_t align, std::size_t n) noexcept
{
    counting::counted_c(n);
    void* p = __libc_memalign(align, n);
    if(p == nullptr)
    {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

void free(void* p) noexcept
{
    if(p != nullptr)
    {
        counting::c_frees.fetch_add(1, std::memory_order_relaxed);
    }
    __libc_free(p);
}

} // extern "C"

void* operator new(std::size_t n) { return counting::allocate(n, 0, false); }
void* operator new[](std::size_t n) { return counting::allocate(n, 0, false); }
void* operator new(std::size_t n, std::nothrow_t const&) noexcept { return counting::allocate(n, 0, true); }
void* operator new[](std::size_t n, std::nothrow_t const&) noexcept { return counting::allocate(n, 0, true); }
void* operator new(std::size_t n, std::align_val_t a) { return counting::allocate(n, std::size_t(a), false); }
void* operator new[](std::size_t n, std::align_val_t a) { return counting::allocate(n, std::size_t(a), false); }
void* operator new(std::size_t n, std::align_val_t a, std::nothrow_t const&) noexcept
{
    return counting::allocate(n, std::size_t(a), true);
}
void* operator new[](std::size_t n, std::align_val_t a, std::nothrow_t const&) noexcept
{
    return counting::allocate(n, std::size_t(a), true);
}
void operator delete(void* p) noexcept { counting::deallocate(p, 0); }
void operator delete[](void* p) noexcept { counting::deallocate(p, 0); }
void operator delete(void* p, std::size_t) noexcept { counting::deallocate(p, 0); }
void operator delete[](void* p, std::size_t) noexcept { counting::deallocate(p, 0); }
void operator delete(void* p, std::nothrow_t const&) noexcept { counting::deallocate(p, 0); }
void operator delete[](void* p, std::nothrow_t const&) noexcept { counting::deallocate(p, 0); }
void operator delete(void* p, std::align_val_t a) noexcept { counting::deallocate(p, std::size_t(a)); }
void operator delete[](void* p, std::align_val_t a) noexcept { counting::deallocate(p, std::size_t(a)); }
void operator delete(void* p, std::size_t, std::align_val_t a) noexcept { counting::deallocate(p, std::size_t(a)); }
void operator delete[](void* p, std::size_t, std::align_val_t a) noexcept { counting::deallocate(p, std::size_t(a)); }
void operator delete(void* p, std::align_val_t a, std::nothrow_t const&) noexcept
{
    counting::deallocate(p, std::size_t(a));
}
void operator delete[](void* p, std::align_val_t a, std::nothrow_t const&) noexcept
{
    counting::deallocate(p, std::size_t(a));
}

// ---- measurements -------------------------------------------------------------

namespace {

namespace asio = bench::asio;
namespace cv = bench::cv;

void handler_costs()
{
    for(bench::scenario const& s: bench::scenarios())
    {
        bool batch = s.name.rfind("batch/", 0) == 0;
        std::size_t const n1 = batch ? 100000 : 10000;
        std::size_t const n2 = 2 * n1;
        asio::io_context io(1);
        s.run(io, 1000); // warm up
        auto a = counting::snapshot::now();
        s.run(io, n1);
        auto b = counting::snapshot::now();
        s.run(io, n2);
        auto c = counting::snapshot::now();
        auto d1 = b - a, d2 = c - b;
        double k = static_cast<double>(n2 - n1);
        std::printf("{\"kind\": \"handler\", \"case\": \"%s\", \"baseline\": \"%s\", \"extra\": %s, "
                    "\"allocs_per_handler\": %.4f, \"bytes_per_handler\": %.2f}\n",
                    s.name.c_str(), s.baseline.c_str(), s.extra ? "true" : "false",
                    (static_cast<double>(d2.allocs) - static_cast<double>(d1.allocs)) / k,
                    (static_cast<double>(d2.bytes) - static_cast<double>(d1.bytes)) / k);
    }
}

void context_costs()
{
    auto& pool = bench::vars::get().pool;
    for(std::size_t n: {1u, 8u, 64u, 1000u, 10000u})
    {
        cv::context c;
        counting::snapshot built{};
        c.run([&] {
            auto a = counting::snapshot::now();
            for(std::size_t i = 0; i < n; ++i)
            {
                (void)pool[i]->set(static_cast<int>(i));
            }
            built = counting::snapshot::now() - a;
        });
        double k = static_cast<double>(n);
        std::printf("{\"kind\": \"context\", \"vars\": %zu, \"live_bytes\": %lld, \"live_blocks\": %lld, "
                    "\"live_bytes_per_var\": %.1f, \"allocated_bytes_per_var\": %.1f, \"allocs_per_set\": %.2f}\n",
                    n, built.live_bytes(), built.live_blocks(), static_cast<double>(built.live_bytes()) / k,
                    static_cast<double>(built.bytes) / k, static_cast<double>(built.allocs) / k);

        // One more set() while a copy shares the snapshot.
        c.run([&] {
            cv::context keep = cv::copy_context();
            auto a = counting::snapshot::now();
            {
                auto t = pool[n]->set(1); // a var not yet in the context
                auto d = counting::snapshot::now() - a;
                std::printf("{\"kind\": \"marginal\", \"vars\": %zu, \"what\": \"new_var\", \"allocs\": %zu, "
                            "\"bytes\": %zu}\n", n, d.allocs, d.bytes);
                pool[n]->reset(t);
            }
            a = counting::snapshot::now();
            {
                auto t = pool[n - 1]->set(2); // a var already set
                auto d = counting::snapshot::now() - a;
                std::printf("{\"kind\": \"marginal\", \"vars\": %zu, \"what\": \"replace\", \"allocs\": %zu, "
                            "\"bytes\": %zu}\n", n, d.allocs, d.bytes);
                pool[n - 1]->reset(t);
            }
        });
    }
}

template<class Ex>
void any_costs(char const* name, Ex const& ex)
{
    using any = asio::any_io_executor;
    auto a = counting::snapshot::now();
    any x(ex);
    auto b = counting::snapshot::now();
    any y(x);
    auto c = counting::snapshot::now();
    {
        // what post() does to the executor before execute()
        auto z = asio::prefer(asio::require(y, asio::execution::blocking.never), asio::execution::relationship.fork,
            asio::execution::allocator(std::allocator<void>()));
        (void)z;
    }
    auto d = counting::snapshot::now();
    {
        // what an operation's initiation does: outstanding_work.tracked (pins)
        auto w = asio::prefer(y, asio::execution::outstanding_work.tracked);
        any w2(w);
        (void)w2;
    }
    auto e = counting::snapshot::now();
    std::printf("{\"kind\": \"any_copy\", \"executor\": \"%s\", \"sizeof\": %zu, \"buffer\": %zu, \"fits\": %s, "
                "\"construct_allocs\": %zu, \"copy_allocs\": %zu, \"post_chain_allocs\": %zu, "
                "\"track_allocs\": %zu}\n",
                name, sizeof(Ex), sizeof(x.object_), sizeof(Ex) <= sizeof(x.object_) ? "true" : "false",
                (b - a).allocs, (c - b).allocs, (d - c).allocs, (e - d).allocs);
}

void any_io_executor_costs()
{
    using strand_ex = asio::strand<bench::io_executor>;
    using tp_ex = asio::thread_pool::executor_type;
    asio::io_context io(1);
    asio::thread_pool tp(1);
    strand_ex st(io.get_executor());
    auto all = [&] {
        any_costs("io_context::executor_type", io.get_executor());
        any_costs("context_executor<io_context::executor_type>", cv::context_executor<bench::io_executor>(io));
        any_costs("thread_pool::executor_type", tp.get_executor());
        any_costs("context_executor<thread_pool::executor_type>", cv::context_executor<tp_ex>(tp.get_executor()));
        any_costs("strand<io_context::executor_type>", st);
        any_costs("context_executor<strand<io_context::executor_type>>", cv::context_executor<strand_ex>(st));
    };
    bench::in_context(1, all); // a non-empty context, so pins hold a reference
    tp.join();
}

} // namespace

int main()
{
    bench::start_a_thread();
    bench::vars::get().ensure(bench::max_vars + 1);
    bench::context_with(1);
    bench::context_with(64);
    handler_costs();
    context_costs();
    any_io_executor_costs();
}
