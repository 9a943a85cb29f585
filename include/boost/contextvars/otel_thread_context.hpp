#ifndef BOOST_CONTEXTVARS_OTEL_THREAD_CONTEXT_HPP_INCLUDED
#define BOOST_CONTEXTVARS_OTEL_THREAD_CONTEXT_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// OpenTelemetry's thread context (OTEP 4947, "Thread Context: Sharing
// Thread-Level Information with External Readers"): the span active in the
// current context of the OpenTelemetry bridge (opentelemetry.hpp) is
// published in an ELF thread-local record that profilers outside the process
// (the OpenTelemetry eBPF profiler) read while they sample the thread, so
// that a CPU sample names the request it was taken for. The record follows
// every context switch through a thread_local_mirror of the bridge's stack.

#if !defined(__linux__) || !defined(__ELF__)
#error "<boost/contextvars/otel_thread_context.hpp>: OTEP 4947's thread context is an ELF thread-local symbol read on Linux only; this platform has no reader for it"
#endif

#include <boost/contextvars/config.hpp>
#include <boost/contextvars/mirror.hpp>
#include <boost/contextvars/opentelemetry.hpp>
#include <opentelemetry/nostd/span.h>
#include <opentelemetry/trace/context.h>
#include <opentelemetry/trace/span.h>
#include <opentelemetry/trace/span_context.h>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace boost {
namespace contextvars {
namespace otel {

/// OTEP 4947's Thread-Local Context Record, v1, without attributes: 28 bytes,
/// byte-packed, 2-byte aligned, ids in W3C Trace Context byte order.
struct thread_context_record
{
    std::uint8_t trace_id[16];
    std::uint8_t span_id[8];
    std::uint8_t valid;           // 1: the record may be read; anything else: ignore it
    std::uint8_t trace_flags;     // W3C trace-flags, 0 without a span
    std::uint16_t attrs_data_size; // always 0 here: no custom attributes
};

static_assert(sizeof(thread_context_record) == 28, "OTEP 4947: the record header is 28 bytes");
static_assert(offsetof(thread_context_record, span_id) == 16, "OTEP 4947 layout");
static_assert(offsetof(thread_context_record, valid) == 24, "OTEP 4947 layout");
static_assert(offsetof(thread_context_record, trace_flags) == 25, "OTEP 4947 layout");
static_assert(offsetof(thread_context_record, attrs_data_size) == 26, "OTEP 4947 layout");

} // namespace otel
} // namespace contextvars
} // namespace boost

/// OTEP 4947's thread-local variable: a pointer to the thread's record, null
/// until the thread's first context switch after an otel::thread_context was
/// made. Exported with default visibility; an executable must also put it in
/// its dynamic symbol table (-Wl,--export-dynamic-symbol=otel_thread_ctx_v1,
/// or -rdynamic) for external readers to find it.
extern "C" {
__attribute__((visibility("default"), used)) inline thread_local
    boost::contextvars::otel::thread_context_record* otel_thread_ctx_v1 = nullptr;
}

namespace boost {
namespace contextvars {
namespace otel {

namespace detail {

// The record otel_thread_ctx_v1 points to, one per thread, rewritten in place:
// of the OTEP's two update styles this is the fixed record whose `valid` flag
// brackets each rewrite (the pointer is set once per thread, never cleared).
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE inline thread_local thread_context_record thread_record = {};

// The OTEP's writer side: the reader interrupts the writing thread (a signal,
// an eBPF probe), so compiler fences and volatile stores suffice; no CPU
// fence. `trace_id` and `span_id` null: no active span (valid stays 0).
inline void write_record(std::uint8_t const* trace_id, std::uint8_t const* span_id,
    std::uint8_t flags) noexcept
{
    thread_context_record* r = &thread_record;
    volatile std::uint8_t& valid = r->valid;
    valid = 0;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if(otel_thread_ctx_v1 != r)
    {
        r->attrs_data_size = 0;
        std::atomic_signal_fence(std::memory_order_seq_cst);
        *static_cast<thread_context_record* volatile*>(&otel_thread_ctx_v1) = r;
        std::atomic_signal_fence(std::memory_order_seq_cst);
    }
    if(trace_id == nullptr)
    {
        return;
    }
    for(int i = 0; i != 16; ++i)
    {
        r->trace_id[i] = trace_id[i];
    }
    for(int i = 0; i != 8; ++i)
    {
        r->span_id[i] = span_id[i];
    }
    r->trace_flags = flags;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    valid = 1;
    std::atomic_signal_fence(std::memory_order_seq_cst);
}

} // namespace detail

/// While it lives, every thread publishes the span active in its current
/// context (the top of `storage`'s stack) as OTEP 4947's thread context:
/// rewritten after each context switch that changes it and after each
/// Attach/Detach; `valid` is 0 while no valid span is active. Takes one of the
/// `max_switch_watchers` places. Linux (ELF) only.
class thread_context
{
public:
    /// Publishes the spans of `storage` (which must outlive this object) on
    /// every thread, starting with the calling thread at once.
    explicit thread_context(context_storage& storage): mirror_(storage.stack_, &publish) {}

    thread_context(thread_context const&) = delete;
    thread_context& operator=(thread_context const&) = delete;

    /// Stops publishing and marks the calling thread's record invalid. Other
    /// threads' records keep their last span (only its thread may write a
    /// record), so destroy this object after the threads that ran requests.
    ~thread_context() = default;

private:
    static void publish(detail::stack const* s) noexcept
    {
        if(s != nullptr && *s)
        {
            opentelemetry::trace::SpanContext span =
                opentelemetry::trace::GetSpan((*s)->value)->GetContext();
            if(span.IsValid())
            {
                std::uint8_t trace_id[16];
                std::uint8_t span_id[8];
                span.trace_id().CopyBytesTo(opentelemetry::nostd::span<std::uint8_t, 16>(trace_id, 16));
                span.span_id().CopyBytesTo(opentelemetry::nostd::span<std::uint8_t, 8>(span_id, 8));
                detail::write_record(trace_id, span_id, span.trace_flags().flags());
                return;
            }
        }
        detail::write_record(nullptr, nullptr, 0);
    }

    struct invalidate_on_exit
    {
        ~invalidate_on_exit()
        {
            detail::write_record(nullptr, nullptr, 0);
        }
    };

    invalidate_on_exit invalidate_; // destroyed after mirror_: no publication follows it
    thread_local_mirror<detail::stack> mirror_;
};

} // namespace otel
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_OTEL_THREAD_CONTEXT_HPP_INCLUDED
