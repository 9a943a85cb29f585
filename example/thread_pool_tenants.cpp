// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Multi-tenant work on an asio::thread_pool (C++17): a strand per tenant, and
// the tenant and the deadline of each job in context variables.
//
// Each tenant's strand is wrapped as context_executor<strand<...>>, so every
// function posted through it runs in a copy of the poster's context: jobs
// queued on one strand never see each other's values. A job is posted with
// its tenant and deadline set; it goes receive (on the tenant's strand) ->
// price (on the shared, unstranded pool, in parallel with other tenants) ->
// finish (back on the strand of whichever tenant the context names). No
// function is given the tenant or the deadline. One tenant's jobs arrive with
// a deadline already past, and must all be rejected; every other job must
// finish. Each job ends by setting the tenant to "nobody", which no other job
// may see.
//
// The program checks that every step found its own tenant and ran on that
// tenant's strand where it should, prints a table, and exits 0 only then.

#include <boost/asio.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <atomic>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using steady = std::chrono::steady_clock;
using strand_executor = cv::context_executor<asio::strand<asio::thread_pool::executor_type>>;
using pool_executor = cv::context_executor<asio::thread_pool::executor_type>;

constexpr int jobs_per_tenant = 25;

cv::context_var<std::string> tenant("tenant");
cv::context_var<steady::time_point> deadline("deadline");

struct tenant_state
{
    strand_executor strand;
    std::chrono::milliseconds budget; // time each job gets from submission
    int done = 0;                     // the counters are only touched on the strand
    int rejected = 0;
};

std::map<std::string, tenant_state> tenants; // filled before the first job runs
std::atomic<int> wrong{0};                   // steps that found the wrong tenant

// The tenant named by the current context, if there is one.
tenant_state* current_tenant()
{
    auto it = tenants.find(tenant.get(""));
    return it == tenants.end() ? nullptr : &it->second;
}

// The tenant named by the current context, if this thread is on its strand.
tenant_state* on_own_strand()
{
    tenant_state* t = current_tenant();
    if(t == nullptr || !t->strand.get_inner_executor().running_in_this_thread())
    {
        ++wrong;
        return nullptr;
    }
    return t;
}

bool past_deadline()
{
    return steady::now() > deadline.get();
}

// ---- a job's three steps; none of them is told the tenant or the deadline ----

void finish()
{
    if(tenant_state* t = on_own_strand())
    {
        ++(past_deadline() ? t->rejected : t->done);
    }
    tenant.set("nobody"); // changes this function's copy of the context only
}

void price()
{
    tenant_state* t = current_tenant();
    if(t == nullptr)
    {
        ++wrong;
        return;
    }
    // ... work that needs no strand ... then back to the tenant's strand.
    asio::post(t->strand, finish);
}

void receive(pool_executor shared)
{
    tenant_state* t = on_own_strand();
    if(t == nullptr)
    {
        return;
    }
    if(past_deadline())
    {
        ++t->rejected;
        return;
    }
    asio::post(shared, price);
}

int main()
{
    asio::thread_pool pool(4);
    pool_executor shared(pool);
    for(auto [name, budget_ms]: {std::pair("acme", 2000), {"globex", 2000}, {"initech", -1}, {"umbrella", 2000}})
    {
        tenants.emplace(name, tenant_state{strand_executor(asio::make_strand(pool)),
                                           std::chrono::milliseconds(budget_ms)});
    }

    // Submit the jobs, the tenants taking turns, each with its own values.
    for(int job = 0; job < jobs_per_tenant; ++job)
    {
        for(auto& [name, t]: tenants)
        {
            cv::scoped_set who(tenant, name);
            cv::scoped_set until(deadline, steady::now() + t.budget);
            asio::post(t.strand, [shared] { receive(shared); });
        }
    }
    pool.join();

    bool passed = wrong == 0 && !tenant.try_get();
    std::cout << "tenant     done  rejected\n";
    for(auto const& [name, t]: tenants)
    {
        bool late = t.budget.count() < 0;
        std::cout << std::left << std::setw(9) << name << std::right << std::setw(6) << t.done << std::setw(10)
                  << t.rejected << (late ? "   (deadline already past)" : "") << '\n';
        passed = passed && t.done == (late ? 0 : jobs_per_tenant) && t.rejected == (late ? jobs_per_tenant : 0);
    }
    std::cout << wrong << " steps found the wrong tenant\n";
    if(!passed)
    {
        std::cout << "FAILED\n";
    }
    tenants.clear(); // the strands must go before their pool
    return passed ? 0 : 1;
}
