#!/usr/bin/env python3
# Copyright 2026 Boost.ContextVars developers
# Distributed under the Boost Software License, Version 1.0.
# https://www.boost.org/LICENSE_1_0.txt
"""The core operations of bench/core.cpp in CPython's contextvars.

Same shape as `python3 -m timeit`: the statement is compiled into timeit's
loop (no call overhead), the loop count is found by autorange (1, 2, 5, 10,
20, 50, ... until one measurement takes --min-time), then --repeat
measurements are taken and the median is reported, in ns per operation.
Each statement runs inside a context holding N variables, as in core.cpp:
the variable read or set is one of the N, the "default" and "miss" variables
are not set. The clock is the process CPU time by default (the same clock as
Google Benchmark's cpu_time, which bench/report.py compares with), or the
wall clock with --clock=wall.

Output: one JSON object per line:
  {"kind": "python", "op": "get_hit", "vars": 64, "ns": 21.3, "number": 2000000, "repeat": 5}
"""

import argparse
import contextvars
import json
import statistics
import sys
import time
import timeit

OPS = {
    # op name (as in core.cpp): (statement, needs at least one var)
    "get_hit": ("v.get()", True),
    "get_default": ("vd.get()", False),
    "get_miss": ("vm.get(None)", False),  # no value, no default: the try_get() analogue
    "set": ("v.set(1)", True),
    "set_shared": ("h = copy_context()\nv.set(1)", True),  # CPython copies the path either way
    "set_reset": ("v.reset(v.set(1))", True),
    "scoped_set": ("t = v.set(1)\ntry:\n    pass\nfinally:\n    v.reset(t)", True),
    "copy_context": ("copy_context()", False),
    "run": ("c2.run(noop)", False),
    "bind_context": ("copy_context().run(noop)", False),  # bind + call, the closest analogue
}
COUNTS = [0, 1, 8, 64, 1000, 10000]


def noop():
    pass


def autorange(timer, min_time):
    i = 1
    while True:
        for j in 1, 2, 5:
            number = i * j
            if timer.timeit(number) >= min_time:
                return number
        i *= 10


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-time", type=float, default=0.05, help="seconds per measurement (autorange target)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    ap.add_argument("--ops", default=",".join(OPS), help="comma-separated subset")
    ap.add_argument("--counts", default=",".join(map(str, COUNTS)))
    args = ap.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    pool = [contextvars.ContextVar(f"v{i}") for i in range(max(COUNTS) + 1)]
    vm = contextvars.ContextVar("miss")
    vd = contextvars.ContextVar("with_default", default=7)

    for op in args.ops.split(","):
        stmt, needs_var = OPS[op]
        for n in map(int, args.counts.split(",")):
            if n == 0 and needs_var:
                continue

            def measure():
                for i in range(n):
                    pool[i].set(i)
                env = {
                    "v": pool[n - 1] if n else None,
                    "vd": vd,
                    "vm": vm,
                    "copy_context": contextvars.copy_context,
                    "c2": contextvars.copy_context(),
                    "noop": noop,
                }
                timer = timeit.Timer(stmt, globals=env, timer=clock)
                number = autorange(timer, args.min_time)
                runs = timer.repeat(repeat=args.repeat, number=number)
                return statistics.median(runs) / number * 1e9, number

            ns, number = contextvars.Context().run(measure)
            print(json.dumps({"kind": "python", "op": op, "vars": n, "ns": round(ns, 3),
                              "number": number, "repeat": args.repeat, "clock": args.clock}))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
