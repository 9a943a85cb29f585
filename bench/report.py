#!/usr/bin/env python3
# Copyright 2026 Boost.ContextVars developers
# Distributed under the Boost Software License, Version 1.0.
# https://www.boost.org/LICENSE_1_0.txt
"""Turns the raw results of bench/run into one markdown report.

Reads, from the results directory given as the only argument:
  core.json, asio.json   Google Benchmark JSON (5 repetitions, aggregates only)
  python.jsonl           bench/python_contextvars.py
  alloc.jsonl            bench_alloc
  callgrind.jsonl        instruction totals of bench_callgrind_cases, two sizes per case
  machine.json           what bench/run found out about the machine
  callgrind_scale.jsonl, callgrind_scale_tracking.jsonl
                         per-handler instructions at 0..10,000 vars (issue 25)
  scale.jsonl            bench_scale_*: 100,000 coroutines, two threads on one context
  server.jsonl, server_meta.json
                         bench/server/run: echo and Beast servers, alternating rounds
and prints markdown on stdout. With --server DIR, prints only the end-to-end
server tables, from DIR/results.jsonl and DIR/meta.json (bench/server/run). Medians throughout; every ratio is between
numbers of this one run.
"""

import json
import os
import sys

# ---- targets of issue 4 ---------------------------------------------------------

GET_OPS = ("get_hit", "get_default", "get_miss")
SMALL = (1, 8)  # "set (small context)": one trie node


def core_target(op, n):
    """(text, check) where check(ours_ns, ratio) -> (met, shortfall text)."""
    if op in GET_OPS:
        def check(ns, ratio):
            bad = []
            if ns > 2.0:
                bad.append(f"{ns:.3f} ns is {ns / 2.0:.3f}x the 2 ns budget")
            if ratio is not None and ratio < 8.0:
                bad.append(f"only {ratio:.1f}x CPython (need 8x)")
            return not bad, "; ".join(bad)
        return "≤ 2 ns, ≥ 8× CPython", check
    if op == "set" and n in SMALL:
        def check(ns, ratio):
            bad = []
            if ns > 20.0:
                bad.append(f"{ns:.1f} ns is {ns / 20.0:.2f}x the 20 ns budget")
            if ratio is not None and ratio < 2.0:
                bad.append(f"only {ratio:.1f}x CPython (need 2x)")
            return not bad, "; ".join(bad)
        return "≤ 20 ns, ≥ 2× CPython", check
    if op == "copy_context" and n == 0:
        def check(ns, ratio):
            return ns <= 2.0, "" if ns <= 2.0 else f"{ns:.3f} ns is {ns / 2.0:.3f}x the 2 ns budget"
        return "≤ 2 ns (empty)", check
    if op == "copy_context":
        return "one ref-count increment", None
    if op == "run":
        def check(ns, ratio):
            return ns <= 10.0, "" if ns <= 10.0 else f"{ns:.1f} ns is {ns / 10.0:.2f}x the 10 ns budget"
        return "≤ 10 ns", check
    return "", None


def propagation_target(case, baseline):
    """(text, instr_limit, wall_limit, zero_added_allocs) or None."""
    family, variant = case.split("/", 1)
    if case == baseline:
        return None
    if family == "coro":
        return ("≤ 1.10× instr (coroutine)", 1.10, None, False)
    if variant in ("any_plain",):
        return None  # Asio's own cost of type erasure, for reference
    if variant in ("ctx_empty", "bind_empty"):
        return ("≤ 1.05× instr", 1.05, None, False)
    return ("≤ 1.15× instr, ≤ 1.3× wall, +0 allocs", 1.15, 1.30, True)


# label, plain case, ctx case, tracking case, peer case, ctx target, tracking target
ISSUE14_ROWS = [
    ("chained handler, empty context", "chain/plain", "chain/ctx_empty", "chain/plain_empty", "chain/peer_empty", 1.15, 1.08),
    ("chained handler, one var", "chain/plain", "chain/ctx_1var", "chain/plain_1var", "chain/peer_1var", 1.15, 1.10),
    ("chained handler, 64 vars", "chain/plain", "chain/ctx_64var", "chain/plain_64var", None, 1.15, 1.10),
    ("`co_await post(use_awaitable)` loop, one var", "coro/plain", "coro/ctx_1var", "coro/plain_1var", None, 1.10, 1.05),
    ("loopback echo round trip, any_io_executor, one var", "echo/any_plain", "echo/any_ctx_1var",
     "echo/any_plain_1var", None, None, 1.03),
    ("same, a forwarding wrapper that carries no context (the wrapper's floor; ctx_executor column)",
     "echo/any_plain", "echo/any_fwd_1var", None, None, None, None),
    ("timer wait + completion, one var", "timer/plain", "timer/bind_1var", "timer/plain_1var", None, 1.08, 1.05),
    ("awaited `co_spawn`, one var (not in the issue)", "spawn/plain", "spawn/ctx_1var", "spawn/plain_1var",
     None, None, None),
]
# The plotted rows of ISSUE14_ROWS: (short label, index).
PLOT_CASES = [("chained handler, empty", 0), ("chained handler, 1 var", 1), ("chained handler, 64 vars", 2),
              ("co_await post loop", 3), ("echo round trip", 4), ("timer wait", 6)]


# ---- reading ------------------------------------------------------------------------

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def read_gbench(path):
    """{name: {"cpu": ns, "real": ns, "counters": {...}}} from the median aggregates."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        data = json.load(f)
    for b in data.get("benchmarks", []):
        if b.get("run_type") != "aggregate" or b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        if name.endswith("/real_time"):
            name = name[: -len("/real_time")]
        k = UNIT_NS[b.get("time_unit", "ns")]
        skip = {"name", "run_name", "run_type", "aggregate_name", "aggregate_unit", "repetitions",
                "threads", "iterations", "real_time", "cpu_time", "time_unit", "family_index",
                "per_family_instance_index", "repetition_index"}
        out[name] = {"cpu": b["cpu_time"] * k, "real": b["real_time"] * k,
                     "counters": {c: v for c, v in b.items() if c not in skip}}
    return out


def read_jsonl(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def fmt(x, spec=".2f", none="—"):
    return none if x is None else format(x, spec)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# ---- issue 25: end-to-end CPU per request, how the cost grows ------------------------

SERVER_MODES = [("plain", "plain Asio"), ("ctx", "`context_executor`"), ("tracking", "tracking mode")]
CPU_TARGETS = {"ctx": 1.08, "tracking": 1.03}  # server CPU per request, × plain
SERVER_LABELS = {"echo": "loopback TCP echo server", "beast": "Beast HTTP/1.1 keep-alive server"}


def median(xs):
    xs = sorted(xs)
    if not xs:
        return None
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def median_ci(xs, level=0.95, resamples=2000):
    """Bootstrap confidence interval of the median (seeded: the same rows give the same interval)."""
    import random
    if len(xs) < 3:
        return None, None
    rng = random.Random(25)
    meds = sorted(median(rng.choices(xs, k=len(xs))) for _ in range(resamples))
    lo = meds[int((1 - level) / 2 * resamples)]
    hi = meds[min(resamples - 1, int((1 + level) / 2 * resamples))]
    return lo, hi


def server_summary(runs):
    """{server: {mode: {...medians, spreads, per-round ratios...}}} from bench/server/run's rows.

    Rounds alternate the builds (plain, ctx, tracking, plain, ...): the k-th run of
    each build belongs to round k, and the per-round ratio compares runs made
    seconds apart."""
    out = {}
    for server in dict.fromkeys(r.get("server", "echo") for r in runs):
        by = {m: [r for r in runs if r.get("server", "echo") == server and r["mode"] == m] for m, _ in SERVER_MODES}
        plain = by["plain"]
        res = {}
        for m, _ in SERVER_MODES:
            rs = by[m]
            if not rs:
                continue
            cpu = [r["cpu_us_per_req"] for r in rs if "cpu_us_per_req" in r]
            ticks = [(r["system_ticks"], r["user_ticks"] + r["system_ticks"]) for r in rs if "system_ticks" in r]
            rounds = [t["cpu_us_per_req"] / p["cpu_us_per_req"] for p, t in zip(plain, rs)
                      if p.get("cpu_us_per_req") and "cpu_us_per_req" in t]
            res[m] = {
                "runs": len(rs),
                "rps": median(r["rps"] for r in rs), "p50": median(r["p50_us"] for r in rs),
                "p99": median(r["p99_us"] for r in rs),
                "cpu": median(cpu), "cpu_min": min(cpu) if cpu else None, "cpu_max": max(cpu) if cpu else None,
                "cpu_q1": median(sorted(cpu)[: len(cpu) // 2]) if len(cpu) > 1 else None,
                "cpu_q3": median(sorted(cpu)[(len(cpu) + 1) // 2:]) if len(cpu) > 1 else None,
                "round_ratio": median(rounds), "round_min": min(rounds) if rounds else None,
                "round_max": max(rounds) if rounds else None,
                "round_ci": median_ci(rounds),
                "kernel": sum(s for s, _ in ticks) / sum(t for _, t in ticks) if ticks and sum(t for _, t in ticks) else None,
                "wrong": sum(r["wrong_id"] for r in rs), "served": sum(r["served"] for r in rs),
            }
        out[server] = res
    return out


def server_instructions_section(cg_runs, summary):
    """The servers' instructions per request under callgrind (bench/server/run's second pass)."""
    p = print
    by = {}
    for r in cg_runs:
        if r.get("served"):
            by.setdefault((r["server"], r["mode"]), []).append(r["server_instructions"] / r["served"])
    if not by:
        return
    p("### Server instructions per request (callgrind)")
    p()
    p("Each build run under `valgrind --tool=callgrind --separate-threads=yes` (2 s, 0.5 s warm-up, same "
      "connections): the instructions the two server threads executed, user space only, over the whole run "
      "(start-up and the connections' set-up included), divided by the requests they served. Median of the "
      "runs, spread min–max. This count hardly moves with the load on the machine, unlike CPU time. The library "
      "makes no system call of its own on these paths; the **implied CPU ×** assumes the kernel's time per request "
      "is the same in every build, and so are the instructions per cycle: 1 + u·(r − 1), where r is the instruction "
      "ratio and u the user share of the plain build's CPU time in the rounds above (1 − its kernel share). It "
      "is an estimate from two measurements, not a third measurement.")
    p()
    rows = []
    for server in dict.fromkeys(s for s, _ in by):
        base = median(by.get((server, "plain"), []))
        kernel = summary.get(server, {}).get("plain", {}).get("kernel")
        for m, label in SERVER_MODES:
            xs = by.get((server, m))
            if not xs:
                continue
            v = median(xs)
            r = v / base if base else None
            implied = "—"
            if m != "plain" and r is not None and kernel is not None:
                cpu = 1 + (1 - kernel) * (r - 1)
                lim = CPU_TARGETS.get(m)
                implied = f"{cpu:.3f}" + (f" (target ≤ {lim:.2f}×: {'yes' if cpu <= lim else 'no'})" if lim else "")
            rows.append([server, label, f"{v:,.0f}", f"{min(xs):,.0f}–{max(xs):,.0f}", len(xs),
                         "—" if m == "plain" else fmt(r, ".3f"),
                         "—" if m == "plain" or r is None or base is None else f"+{v - base:,.0f}", implied])
    p(table(["server", "build", "instructions/request", "spread min–max", "runs", "× plain", "added/request",
             "implied CPU × plain"], rows))
    p()


def server_section(runs, meta, missed, cg_runs=()):
    p = print
    summary = server_summary(runs)
    if not summary:
        server_instructions_section(cg_runs, summary)
        return
    p("## End-to-end: server CPU per request (bench/server)")
    p()
    p(f"Machine: {meta.get('cpu', '?')}, {meta.get('nproc', '?')} cores (shared; load average "
      f"{meta.get('load', '?')}); {meta.get('compiler', '?')}, -O2; commit {meta.get('commit', '?')}; "
      f"{meta.get('date', '?')}.")
    p()
    p(f"Server: 1 io_context, 2 threads, coroutines; client: 1 thread in the same process, plain Asio, "
      f"{meta.get('conns', '?')} keep-alive connections on 127.0.0.1, closed loop; {meta.get('secs', '?')} s "
      f"measured per run after 0.3 s warm-up; {meta.get('rounds', '?')} rounds, each running the builds back to "
      "back (echo plain, ctx, tracking, then Beast plain, ctx, tracking). **Server CPU per request** = CPU time "
      "(user + system) of the two server threads over the measured window, read from their thread CPU clocks "
      "(`pthread_getcpuclockid`), divided by the requests the server completed in that window; the client's CPU "
      "is not in it. Medians over the rounds; spread = min–max over the rounds (and interquartile range); "
      "`× plain` = ratio of the medians; `per-round ×` = median [min–max] of the ratio to the plain run of the "
      "same round (the runs seconds apart, which cancels slow drifts in the machine's load), with a bootstrap "
      "95 % confidence interval of that median; a target counts as met only if the whole interval is within it. "
      "Kernel share: "
      "system time / (user + system) of the server threads (from /proc, 10 ms ticks). Requests/s and latency are "
      "the client's wall-clock view and move with the load on the shared machine; CPU per request is the figure "
      "the targets apply to.")
    p()
    header = ["server", "build", "server CPU µs/request", "spread min–max (IQR)", "× plain", "per-round × [min–max]",
              "kernel share", "requests/s", "× plain", "p50 µs", "× plain", "p99 µs", "× plain",
              "wrong ids (all runs)", "target (CPU/request)"]
    rows = []
    for server, res in summary.items():
        base = res.get("plain")
        for m, label in SERVER_MODES:
            d = res.get(m)
            if d is None or base is None:
                continue
            ratio = (lambda k: d[k] / base[k] if d[k] is not None and base[k] else None)
            target = "—"
            lim = CPU_TARGETS.get(m)
            if lim is not None and d["round_ratio"] is not None:
                # Judged on the 95 % interval of the median per-round ratio: met if
                # all of it is within the target, missed if all of it is above,
                # otherwise this run cannot tell.
                lo, hi = d["round_ci"]
                ci = f"median {d['round_ratio']:.3f}×, 95 % CI {fmt(lo, '.3f')}–{fmt(hi, '.3f')}"
                if hi is not None and hi <= lim:
                    target = f"≤ {lim:.2f}×: yes ({ci})"
                elif lo is not None and lo > lim:
                    target = f"≤ {lim:.2f}×: **NO** ({ci})"
                    missed.append(f"server CPU per request, {server}, {label}: {ci} > {lim:.2f}×")
                else:
                    target = f"≤ {lim:.2f}×: **undecided**: the interval straddles the target ({ci})"
                    missed.append(f"server CPU per request, {server}, {label}: not shown met ({ci}; target "
                                  f"{lim:.2f}×)")
            rows.append([server, label, fmt(d["cpu"], ".3f"),
                         f"{fmt(d['cpu_min'], '.3f')}–{fmt(d['cpu_max'], '.3f')} "
                         f"({fmt(d['cpu_q1'], '.3f')}–{fmt(d['cpu_q3'], '.3f')})",
                         fmt(ratio("cpu"), ".3f"),
                         "—" if m == "plain" else f"{fmt(d['round_ratio'], '.3f')} "
                         f"[{fmt(d['round_min'], '.3f')}–{fmt(d['round_max'], '.3f')}]",
                         fmt(d["kernel"] * 100 if d["kernel"] is not None else None, ".0f") + " %",
                         fmt(d["rps"], ",.0f"), fmt(ratio("rps"), ".3f"), fmt(d["p50"], ".0f"), fmt(ratio("p50")),
                         fmt(d["p99"], ".0f"), fmt(ratio("p99")), f"{d['wrong']:,} of {d['served']:,}", target])
    p(table(header, rows))
    p()
    p("Echo: per request the session sets its id in a `context_var<int>` and reads it right after and after each "
      "of three `co_await`s (two posts, the write). Beast: `http::async_read` of a GET with an `X-Request-Id` "
      "header, the id set in the var, one `co_await post`, a 200 response with a 64-byte body (`http::async_write`), "
      "the id read after each step. A request is wrong if a later read differs from the id it set. Plain Asio does "
      "not carry the context, so its ids leak between requests sharing a thread: its count shows that, and its "
      "cost is the same reads and sets. Per-run rows: `build/bench-server/results.jsonl`.")
    p()
    server_instructions_section(cg_runs, summary)


def scale_section(d, missed):
    p = print
    cg_plain = {(r["case"], r["vars"]): r["per_op"] for r in read_jsonl(os.path.join(d, "callgrind_scale.jsonl"))}
    cg_track = {(r["case"], r["vars"]): r["per_op"] for r in read_jsonl(os.path.join(d, "callgrind_scale_tracking.jsonl"))}
    scale = read_jsonl(os.path.join(d, "scale.jsonl"))
    if not (cg_plain or cg_track or scale):
        return
    p("## How the cost grows (issue 25)")
    p()
    vars_list = sorted({v for _, v in list(cg_plain) + list(cg_track)})
    if vars_list:
        p("### Per-handler instructions by the size of the context")
        p()
        p("The chained handler of the propagation table (each handler posts the next), started in a context with "
          "N vars set; callgrind, (total(20,000) - total(10,000)) / 10,000 handlers, so building the context is "
          "start-up and cancels. Plain Asio runs the same code without carrying anything; ratios are to plain "
          "Asio at the same N. Target: flat from 0 to 10,000 vars.")
        p()
        rows = []
        first = {}
        for v in vars_list:
            pl, cx, tr = cg_plain.get(("scale/chain", v)), cg_plain.get(("scale/ctx_chain", v)), \
                cg_track.get(("scale/chain", v))
            first.setdefault("ctx", cx)
            first.setdefault("tracking", tr)
            rows.append([f"{v:,}", fmt(pl, ".0f"), f"{fmt(cx, '.0f')} ({fmt(cx / pl if cx and pl else None, '.3f')}×)",
                         f"{fmt(tr, '.0f')} ({fmt(tr / pl if tr and pl else None, '.3f')}×)"])
        p(table(["vars set", "instr plain Asio", "instr `context_executor`", "instr tracking"], rows))
        p()
        # Flat = no growth with the size of a non-empty context (an empty context
        # is its own, cheaper path: there is no snapshot to count references to).
        for who, case, src in (("tracking", "scale/chain", cg_track), ("context_executor", "scale/ctx_chain", cg_plain)):
            xs = [src.get((case, v)) for v in vars_list if v > 0 and src.get((case, v)) is not None]
            empty = src.get((case, 0))
            if xs:
                spread = max(xs) - min(xs)
                flat = spread <= 2
                p(f"- {who}: {min(xs):.0f}–{max(xs):.0f} instructions per handler from 1 to {vars_list[-1]:,} vars "
                  f"(spread {spread:.0f}; empty context {fmt(empty, '.0f')}): "
                  + ("flat (target met)" if flat else "**not flat**"))
                if not flat:
                    missed.append(f"per-handler cost grows with the context ({who}): {min(xs):.0f}–{max(xs):.0f}")
        p()
    coro = {r["mode"]: r for r in scale if r["kind"] == "coro"}
    if coro.get("plain"):
        b = coro["plain"]
        p(f"### {b['n']:,} concurrent coroutines")
        p()
        p(f"{b['n']:,} C++20 coroutines `co_spawn`ed at once from a context holding one var, on one io_context run by "
          "one thread, each parked on its own `steady_timer` until all are parked; then the timers are cancelled "
          "and each coroutine reads the var and ends. Memory: heap in use when all are parked minus before "
          "(glibc `mallinfo2`: `uordblks + hblkhd`, so malloc's own headers and rounding included), and the growth "
          "of the resident set (VmRSS), per coroutine, first repetition. Times: median of "
          f"{b['reps']} repetitions in one process (wall clock). `var seen` = coroutines that read the var's value "
          "after the wait (plain Asio does not carry it).")
        p()
        rows = []
        for m, label in SERVER_MODES:
            r = coro.get(m)
            if not r:
                continue
            rows.append([label, fmt(r["heap_bytes_per_coro"], ".1f"),
                         "—" if m == "plain" else fmt(r["heap_bytes_per_coro"] - b["heap_bytes_per_coro"], "+.1f"),
                         fmt(r["rss_bytes_per_coro"], ".0f"),
                         "—" if m == "plain" else fmt(r["rss_bytes_per_coro"] - b["rss_bytes_per_coro"], "+.0f"),
                         fmt(r["spawn_s"] * 1e3, ".1f"), fmt(r["spawn_s"] / b["spawn_s"]),
                         fmt(r["finish_s"] * 1e3, ".1f"), fmt(r["finish_s"] / b["finish_s"]),
                         f"{r['saw_var']:,} of {r['n']:,}"])
        p(table(["build", "heap bytes/coroutine", "over plain", "RSS bytes/coroutine", "over plain",
                 "spawn + park all, ms", "× plain", "finish all, ms", "× plain", "var seen"], rows))
        p()
    thr = {r["mode"]: r for r in scale if r["kind"] == "threads"}
    if thr:
        any_r = next(iter(thr.values()))
        p("### Two threads posting from one shared context")
        p()
        p(f"Each thread has its own io_context and runs a chain of {any_r['n']:,} self-re-posting handlers started "
          "from a copy of the same context (one var): under tracking and `context_executor` every handler takes and "
          "drops a reference to the same snapshot, so its reference count is a cache line written by both cores. "
          "Each repetition times one thread alone, then two at once (same work per thread); the ratio is "
          f"wall(two) / wall(one), median [min–max] of {any_r['reps']} repetitions. 1.0 = perfect scaling. Control, "
          "in the same repetitions: two threads at once, each in a context of its own holding the same var (its own "
          "snapshot and reference count); `shared ÷ control` is the cost of the shared cache line alone. Plain Asio "
          "shares nothing, so its ratio is what the machine allowed during the run: near 1.0 with two idle cores, "
          "near 2.0 when other work held one of them (then the two threads mostly take turns, the cache line is "
          "rarely contended, and the figure says little).")
        p()
        rows = []
        for m, label in SERVER_MODES:
            r = thr.get(m)
            if not r:
                continue
            own = r.get("own_ratio")
            rows.append([label, fmt(r["one_thread_s"] * 1e9 / r["n"], ".1f"), fmt(r["two_threads_s"] * 1e9 / r["n"], ".1f"),
                         f"{fmt(r['ratio'], '.3f')} [{fmt(r['ratio_min'], '.3f')}–{fmt(r['ratio_max'], '.3f')}]",
                         fmt(own, ".3f"), fmt(r["ratio"] / own if own else None, ".2f")])
        p(table(["build", "ns/handler, one thread", "ns/handler, two threads at once (wall / per-thread n)",
                 "wall-time ratio two / one, shared context [min–max]", "control: two threads, a context each, / one",
                 "shared ÷ control"], rows))
        p()


# ---- the report ---------------------------------------------------------------------

def read_json(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--server":
        missed = []
        server_section(read_jsonl(os.path.join(sys.argv[2], "results.jsonl")),
                       read_json(os.path.join(sys.argv[2], "meta.json")), missed,
                       read_jsonl(os.path.join(sys.argv[2], "callgrind.jsonl")))
        for m in missed:
            print(f"- target missed: {m}")
        return
    d = sys.argv[1] if len(sys.argv) > 1 else "."
    core = read_gbench(os.path.join(d, "core.json"))
    asio = read_gbench(os.path.join(d, "asio.json"))
    py = {(r["op"], r["vars"]): r["ns"] for r in read_jsonl(os.path.join(d, "python.jsonl"))}
    alloc = read_jsonl(os.path.join(d, "alloc.jsonl"))
    cg = {(r["case"], r.get("vars")): r for r in read_jsonl(os.path.join(d, "callgrind.jsonl"))}
    machine = {}
    if os.path.exists(os.path.join(d, "machine.json")):
        with open(os.path.join(d, "machine.json")) as f:
            machine = json.load(f)

    missed = []
    p = print

    p("# Boost.ContextVars benchmarks")
    p()
    p(f"- date: {machine.get('date', '?')}")
    p(f"- machine: {machine.get('nproc', '?')} CPUs, {machine.get('cpu', '?')}; "
      f"load average at start {machine.get('loadavg', '?')}")
    p(f"- compiler: {machine.get('compiler', '?')}, -O2, C++20; Boost {machine.get('boost', '?')}; "
      f"Google Benchmark {machine.get('gbench', '?')}; {machine.get('python', '?')}; "
      f"{machine.get('valgrind', '?')}")
    p(f"- library: commit {machine.get('commit', '?')}")
    p(f"- settings: {machine.get('settings', '?')}")
    p()

    # -- core operations --
    p("## Core operations (N vars set in the current context)")
    p()
    p("Ours: Google Benchmark, median of 5 repetitions of CPU time per operation (wall time in its own column; "
      "the machine is shared, so CPU time is the steadier of the two). CPython: `timeit`-style loop "
      "(statement inlined in the loop, autorange, median of 5; like `python3 -m timeit` it includes the "
      "interpreter's loop and method-call overhead), process CPU time, same machine, same run. "
      "Instructions: callgrind, (total(2n) - total(n)) / n.")
    p()
    ops = ["get_hit", "get_default", "get_miss", "set", "set_shared", "set_reset", "scoped_set", "copy_context",
           "run", "bind_context"]
    labels = {"get_hit": "get (hit)", "get_default": "get (default)", "get_miss": "get miss (try_get)",
              "set": "set", "set_shared": "copy_context + set (values shared)", "set_reset": "set + reset",
              "scoped_set": "scoped_set",
              "copy_context": "copy_context", "run": "context::run(no-op)",
              "bind_context": "bind_context(f) + call"}
    rows = []
    for op in ops:
        for n in (0, 1, 8, 64, 1000, 10000):
            r = core.get(f"core/{op}/{n}")
            if r is None:
                continue
            ours = r["cpu"]
            pyns = py.get((op, n))
            ratio = pyns / ours if pyns else None
            c = cg.get((f"core/{op}", n))
            instr = c["per_op"] if c else None
            text, check = core_target(op, n)
            met = "—"
            if check is not None:
                ok, why = check(ours, ratio)
                met = "yes" if ok else f"**NO**: {why}"
                if not ok:
                    missed.append(f"{labels[op]} at {n} vars: {why}")
            elif text:
                met = "not timed (see instr/op)"
            rows.append([labels[op], n, fmt(ours), fmt(r["real"]), fmt(pyns, ".1f"), fmt(ratio, ".1f"),
                         fmt(instr, ".0f"), text or "—", met])
    p(table(["operation", "vars", "ours ns (CPU)", "ours ns (wall)", "CPython ns", "ratio Py/ours",
             "instr/op", "target", "met?"], rows))
    p()
    p("`copy_context + set`: a copy of the current context is alive while `set` runs (as an enclosing "
      "handler's context or an executor's pin keeps the values), so `set` copies the path instead of "
      "replacing the value in place; CPython copies the path in every `set`. "
      "CPython's `bind_context` analogue is `copy_context().run(f)`; its `scoped_set` analogue is "
      "`t = v.set(x)` / `try: pass` / `finally: v.reset(t)`; its `get miss` is `v.get(None)`.")
    p()

    # -- propagation --
    p("## Propagation versus plain Asio (one io_context, concurrency hint 1, one thread)")
    p()
    p("ns/handler: median of 5 repetitions (wall and CPU), per handler. Instructions per handler: callgrind, "
      "(total(20,000) - total(10,000)) / 10,000. Allocations per handler: counting operator new and malloc "
      "(Asio's handler memory comes from aligned_alloc), (count(2n) - count(n)) / n. Ratios are to the "
      "variant named in `vs`, measured in the same run.")
    p()
    handler_alloc = {r["case"]: r for r in alloc if r["kind"] == "handler"}
    order = [r["case"] for r in alloc if r["kind"] == "handler"] or sorted(asio)
    for name in asio:
        if name.startswith("asio/") and name[5:] not in order:
            order.append(name[5:])
    rows = []
    extra_rows = []
    for case in order:
        a = asio.get("asio/" + case)
        al = handler_alloc.get(case, {})
        baseline = al.get("baseline") or (case.split("/")[0] + "/plain")
        handlers = a["counters"].get("handlers", 1) if a else 1
        wall = a["real"] / handlers if a else None
        cpu = a["cpu"] / handlers if a else None
        b = asio.get("asio/" + baseline)
        bh = b["counters"].get("handlers", 1) if b else 1
        wall_ratio = wall / (b["real"] / bh) if a and b else None
        cpu_ratio = cpu / (b["cpu"] / bh) if a and b else None
        c, cb = cg.get((case, None)), cg.get((baseline, None))
        instr = c["per_op"] if c else None
        instr_ratio = instr / cb["per_op"] if c and cb and cb["per_op"] else None
        allocs = al.get("allocs_per_handler")
        base_allocs = handler_alloc.get(baseline, {}).get("allocs_per_handler")
        added = allocs - base_allocs if allocs is not None and base_allocs is not None else None
        tgt = propagation_target(case, baseline)
        met = "—"
        text = "—"
        if tgt:
            text, ilim, wlim, zero = tgt
            bad = []
            if instr_ratio is not None and instr_ratio > ilim:
                bad.append(f"instr {instr_ratio:.2f}x > {ilim:.2f}x")
            if wlim and wall_ratio is not None and wall_ratio > wlim:
                note = ""
                if cpu_ratio is not None and cpu_ratio <= wlim:
                    note = f" (CPU time {cpu_ratio:.2f}x: time off the CPU, i.e. load or system calls)"
                bad.append(f"wall {wall_ratio:.2f}x > {wlim:.2f}x{note}")
            if zero and added is not None and added > 0.0005:
                bad.append(f"+{added:.2f} allocs/handler")
            met = "yes" if not bad else "**NO**: " + "; ".join(bad)
            if bad:
                missed.append(f"propagation {case} (vs {baseline}): " + "; ".join(bad))
        row = [case, baseline if case != baseline else "—", fmt(wall, ".1f"), fmt(wall_ratio), fmt(cpu, ".1f"),
               fmt(cpu_ratio), fmt(instr, ".0f"), fmt(instr_ratio), fmt(allocs, ".2f"),
               fmt(al.get("bytes_per_handler"), ".0f"), text, met]
        (extra_rows if al.get("extra") else rows).append(row)
    header = ["variant", "vs", "ns/handler (wall)", "ratio", "ns/handler (CPU)", "ratio", "instr/handler",
              "ratio", "allocs/handler", "bytes/handler", "target", "met?"]
    p(table(header, rows))
    p()
    p("Variants: `plain` = io_context executor; `ctx_empty` / `ctx_1var` / `ctx_64var` = "
      "`context_executor<io_context::executor_type>` with 0 / 1 / 64 vars set in the context the chain "
      "starts from; `any_*` = the same wrapped in `any_io_executor`; `chain` = each handler posts the next; "
      "`batch` = 1,000,000 posts from outside `run()`, then `run()`; `coro` = `co_await post(use_awaitable)` "
      "in a loop, `co_spawn` on the plain or the context executor; `timer` = `steady_timer` expiring now, "
      "re-armed from its handler, with `bind_context(handler)` or the plain handler (each wait costs "
      "three system calls, so its wall ratio says little; the propagation targets are applied to it too).")
    p()
    if extra_rows:
        p("Extra cases (not in the issue): strands, and `spawn` = a coroutine awaiting `co_spawn` of a child that "
          "finishes at once, in a loop (per spawn: a frame, a launch, a completion).")
        p()
        p(table(header, extra_rows))
        p()

    # -- issue 14: plain Asio, context_executor, tracking mode, the peer --
    cgt = {r["case"]: r for r in read_jsonl(os.path.join(d, "callgrind_tracking.jsonl"))}
    asio_t = read_gbench(os.path.join(d, "asio_tracking.json"))
    alloc_t = {r["case"]: r for r in read_jsonl(os.path.join(d, "alloc_tracking.jsonl")) if r["kind"] == "handler"}
    if cgt or asio_t:
        p("## Plain Asio, context_executor, whole-program tracking and the peer solution (issue 14)")
        p()
        p("One table from one run. Instructions per handler (callgrind, (total(20,000) - total(10,000)) / 10,000) "
          "and wall-time medians (Google Benchmark, 5 repetitions) per unit; ratios to plain Asio. Tracking mode "
          "is the same sources built again with `Boost::contextvars_tracking` (both Asio defines in every TU) and "
          "run right after the plain binary; its cases use the plain executor started inside a context holding "
          "the vars. Peer = a `shared_ptr` captured by hand in each handler and swapped into a thread-local "
          "around it (OpenTelemetry's GetCurrent / Attach / Detach). The timer's context_executor column is "
          "`bind_context(handler)` (a timer has no executor of its own to wrap). Added allocations: per handler, "
          "against plain Asio in the same binary's counting run.")
        p()

        def per(gb, case):
            if case is None:
                return None
            a = gb.get("asio/" + case)
            return a["real"] / a["counters"].get("handlers", 1) if a else None

        def ratio(x, y):
            return x / y if x is not None and y else None

        out = []
        for label, pl, cx, tr, peer, tcx, ttr in ISSUE14_ROWS:
            ip, ic, it = (cg.get((pl, None)) or {}).get("per_op"), (cg.get((cx, None)) or {}).get("per_op"), \
                (cgt.get(tr) or {}).get("per_op")
            ipe = (cg.get((peer, None)) or {}).get("per_op") if peer else None
            wp, wc, wt = per(asio, pl), per(asio, cx), per(asio_t, tr)
            wpe = per(asio, peer) if peer else None
            base_alloc = handler_alloc.get(pl, {}).get("allocs_per_handler")
            ac = handler_alloc.get(cx, {}).get("allocs_per_handler")
            at, atb = alloc_t.get(tr, {}).get("allocs_per_handler"), alloc_t.get(pl, {}).get("allocs_per_handler")
            add_c = ac - base_alloc if ac is not None and base_alloc is not None else None
            add_t = at - atb if at is not None and atb is not None else None
            verdict = []
            for who, r, lim, add in (("ctx", ratio(ic, ip), tcx, add_c), ("tracking", ratio(it, ip), ttr, add_t)):
                if lim is None:
                    verdict.append(f"{who}: reported" if r is not None else f"{who}: —")
                    continue
                bad = []
                if r is not None and r > lim:
                    bad.append(f"{r:.3f}x > {lim:.2f}x")
                if add is not None and add > 0.0005:
                    bad.append(f"+{add:.2f} allocs")
                verdict.append(f"{who} ≤ {lim:.2f}×: " + ("yes" if not bad else "**NO** " + ", ".join(bad)))
                if bad:
                    missed.append(f"issue 14, {label}, {who}: " + ", ".join(bad))
            out.append([label, fmt(ip, ".0f"), f"{fmt(ic, '.0f')} ({fmt(ratio(ic, ip), '.3f')}×)",
                        f"{fmt(it, '.0f')} ({fmt(ratio(it, ip), '.3f')}×)",
                        f"{fmt(ipe, '.0f')} ({fmt(ratio(ipe, ip), '.3f')}×)" if peer else "—",
                        fmt(wp, ".1f"), f"{fmt(wc, '.1f')} ({fmt(ratio(wc, wp))}×)",
                        f"{fmt(wt, '.1f')} ({fmt(ratio(wt, wp))}×)",
                        f"{fmt(wpe, '.1f')} ({fmt(ratio(wpe, wp))}×)" if peer else "—",
                        f"{fmt(add_c, '+.2f')} / {fmt(add_t, '+.2f')}", "; ".join(verdict)])
        p(table(["case", "instr plain", "instr ctx_executor", "instr tracking", "instr peer", "ns plain",
                 "ns ctx_executor", "ns tracking", "ns peer", "added allocs ctx / tracking", "targets"], out))
        p()
        if machine.get("profiles"):
            p(f"Tracking-mode profiles against plain Asio: `{machine['profiles']}_tracking/*.profile.txt`.")
            p()

    # -- any_io_executor --
    p("## any_io_executor small buffer")
    p()
    rows = []
    for r in (x for x in alloc if x["kind"] == "any_copy"):
        ours = r["executor"].startswith("context_executor")
        ok = r["fits"] and r["construct_allocs"] == 0 and r["copy_allocs"] == 0
        met = "—"
        if ours:
            why = (f"{r['sizeof']} bytes > {r['buffer']}-byte buffer; {r['construct_allocs']} alloc to construct, "
                   f"{r['copy_allocs']} to copy, {r['post_chain_allocs']} per post()'s require/prefer, "
                   f"{r['track_allocs']} per prefer(outstanding_work.tracked)")
            met = "yes" if ok else "**NO**: " + why
            if not ok:
                missed.append(f"any_io_executor over {r['executor']}: " + why)
        rows.append([f"`{r['executor']}`", r["sizeof"], "yes" if r["fits"] else "no", r["construct_allocs"],
                     r["copy_allocs"], r["post_chain_allocs"], r["track_allocs"],
                     "stays in buffer, no allocation" if ours else "—", met])
    p(table(["executor in any_io_executor", "sizeof", "fits 24-byte buffer", "allocs: construct", "allocs: copy",
             "allocs: post's require+prefer", "allocs: prefer(tracked)", "target", "met?"], rows))
    p()
    p("Measured inside a context holding one var (so pins hold a reference).")
    p()

    # -- memory --
    p("## Memory per context")
    p()
    rows = []
    marg = {(r["vars"], r["what"]): r for r in alloc if r["kind"] == "marginal"}
    for r in (x for x in alloc if x["kind"] == "context"):
        n = r["vars"]
        mn, mr = marg.get((n, "new_var"), {}), marg.get((n, "replace"), {})
        rows.append([n, r["live_bytes"], r["live_blocks"], fmt(r["live_bytes_per_var"], ".1f"),
                     fmt(r["allocated_bytes_per_var"], ".1f"), fmt(r["allocs_per_set"], ".2f"),
                     f"{mn.get('allocs', '?')} / {mn.get('bytes', '?')} B",
                     f"{mr.get('allocs', '?')} / {mr.get('bytes', '?')} B"])
    p(table(["vars", "live bytes", "live blocks", "live bytes/var", "allocated bytes/var (building)",
             "allocs/set (building)", "one more set, new var, snapshot shared: allocs / bytes",
             "same, replacing a var"], rows))
    p()
    p("Built by N `set()` calls in a fresh context; bytes are those asked of operator new (malloc adds its "
      "own header and rounding per block: multiply live blocks by ~8-16 bytes).")
    p()

    # -- issue 25 --
    scale_section(d, missed)
    server_section(read_jsonl(os.path.join(d, "server.jsonl")), read_json(os.path.join(d, "server_meta.json")), missed,
                   read_jsonl(os.path.join(d, "server_callgrind.jsonl")))
    if os.path.exists(os.path.join(d, "plots")):
        p("Plots of this run (bench/plots.py): `handler_instructions.svg` (instructions per handler by build), "
          "`server_cpu.svg` (server CPU per request by build, echo and Beast), `server_instructions.svg` (server "
          "instructions per request by build, callgrind), `context_size.svg` (instructions per "
          "handler by the size of the context).")
        p()

    # -- summary --
    p("## Targets missed")
    p()
    if missed:
        for m in missed:
            p(f"- {m}")
    else:
        p("None.")
    p()
    if machine.get("profiles"):
        p(f"Per-function instruction profiles of every case (instructions per handler or operation by "
          f"function, and the difference from the plain-Asio baseline), made with callgrind_annotate by "
          f"bench/callgrind_diff.py: `{machine['profiles']}/*.profile.txt`.")


if __name__ == "__main__":
    main()
