#ifndef BOOST_CONTEXTVARS_DETAIL_VAR_REGISTRY_HPP_INCLUDED
#define BOOST_CONTEXTVARS_DETAIL_VAR_REGISTRY_HPP_INCLUDED

// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The identity of a context variable (var_info) and the registry of the
// dense indices that key the trie (detail/trie.hpp). A context_var owns one
// reference to its var_info; every value stored for it owns another, so a
// context that outlives its var can still name it, and the dense index is
// recycled only when no map can contain it any more. There is one registry
// per process, whatever the module layout (index_registry::instance()): two
// vars of two shared libraries never share an index.

#include <boost/contextvars/config.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace boost {
namespace contextvars {
namespace detail {

struct value_node;

struct var_info
{
    std::atomic<std::size_t> refs{1};
    std::uint32_t index;
    std::string name;
    // Writes a value of the var's type, or `<unprintable T>`; set by
    // context_var<T> (see detail/print_value.hpp), used to print a context.
    void (*print)(std::ostream& os, value_node const* value) = nullptr;

    var_info(std::uint32_t i, std::string_view n): index(i), name(n) {}
};

class index_registry
{
public:
    std::uint32_t acquire()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if(!free_.empty())
        {
            std::uint32_t i = free_.back();
            free_.pop_back();
            return i;
        }
        return next_++;
    }

    void release(std::uint32_t i) noexcept
    {
        std::lock_guard<std::mutex> lock(mutex_);
        try { free_.push_back(i); } catch(...) {} // a lost index only wastes a key
    }

    // The process's registry (see registry_instance()).
    static index_registry& instance();

private:
    std::mutex mutex_;
    std::vector<std::uint32_t> free_;
    std::uint32_t next_ = 0;
};

// Deliberately never destroyed: vars at namespace scope may be destroyed
// after any other static object. Default visibility: every module of the
// program shares this function's static, so indices are unique process-wide.
BOOST_CONTEXTVARS_DETAIL_PROCESS_WIDE BOOST_NOINLINE inline index_registry& registry_instance()
{
    static index_registry* r = new index_registry;
    return *r;
}

inline index_registry& index_registry::instance()
{
    return registry_instance();
}

inline var_info* make_var_info(std::string_view name)
{
    std::uint32_t i = index_registry::instance().acquire();
    try
    {
        return new var_info(i, name);
    }
    catch(...)
    {
        index_registry::instance().release(i);
        throw;
    }
}

inline void add_ref(var_info* v) noexcept
{
    v->refs.fetch_add(1, std::memory_order_relaxed);
}

inline void release(var_info* v) noexcept
{
    if(v->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    {
        index_registry::instance().release(v->index);
        delete v;
    }
}

// The reference a context_var holds; released even when a later member of
// the var (its default value) fails to construct.
class var_ref
{
public:
    explicit var_ref(std::string_view name): p_(make_var_info(name)) {}
    var_ref(var_ref const&) = delete;
    var_ref& operator=(var_ref const&) = delete;

    ~var_ref()
    {
        release(p_);
    }

    var_info* get() const noexcept
    {
        return p_;
    }

private:
    var_info* p_;
};

} // namespace detail
} // namespace contextvars
} // namespace boost

#endif // BOOST_CONTEXTVARS_DETAIL_VAR_REGISTRY_HPP_INCLUDED
