#!/usr/bin/env python3
# Copyright 2026 Boost.ContextVars developers
# Distributed under the Boost Software License, Version 1.0.
# https://www.boost.org/LICENSE_1_0.txt
"""Per-operation instruction profile from two callgrind runs of one case.

  callgrind_diff.py SMALL.out LARGE.out N_SMALL N_LARGE [BASE_SMALL.out BASE_LARGE.out] [--top K]

Runs callgrind_annotate (self cost, no threshold) on each file, adds up the
cost of each function over all the source files its code came from (inlined
lines are attributed to their header) and over its template arguments (so
that executor_op<plain handler>::do_complete and executor_op<context handler>
::do_complete compare), and prints (cost(LARGE) -
cost(SMALL)) / (N_LARGE - N_SMALL) per function: the instructions each
handler (or operation) spends there, with the start-up cancelled out. With a
baseline pair (same N values), also prints each function's difference from
the baseline, largest first: where the added instructions go.
"""

import re
import subprocess
import sys

LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def profile(path):
    out = subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", path],
                         capture_output=True, text=True, check=True).stdout
    costs = {}
    total = None
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        what = m.group(2)
        if what.startswith("PROGRAM TOTALS"):
            total = ir
            continue
        what = re.sub(r"\s+\[[^\]]*\]$", "", what)  # the binary
        if ":" in what:
            what = what.split(":", 1)[1]  # the source file
        what = short(re.sub(r" \[clone [^\]]*\]", "", what))
        costs[what] = costs.get(what, 0) + ir
    return total, costs


def per_op(small, large, n1, n2):
    t1, c1 = profile(small)
    t2, c2 = profile(large)
    k = float(n2 - n1)
    fns = set(c1) | set(c2)
    return (t2 - t1) / k, {f: (c2.get(f, 0) - c1.get(f, 0)) / k for f in fns}


def short(name, width=160):
    # Template arguments make names unreadable; keep the outer shape.
    depth, out = 0, []
    for ch in name:
        if ch == "<":
            depth += 1
            if depth == 1:
                out.append("<…")
            continue
        if ch == ">":
            depth -= 1
            if depth == 0:
                out.append(">")
            continue
        if depth == 0:
            out.append(ch)
    s = "".join(out)
    return s if len(s) <= width else s[: width - 1] + "…"


def main():
    args = sys.argv[1:]
    top = 25
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    small, large, n1, n2 = args[0], args[1], int(args[2]), int(args[3])
    total, fns = per_op(small, large, n1, n2)
    print(f"instructions per operation: {total:.1f}")
    print()
    print(f"{'Ir/op':>9}  function (self cost; inlined code counted in the function it was inlined into)")
    for f, v in sorted(fns.items(), key=lambda kv: -abs(kv[1]))[:top]:
        if abs(v) < 0.05:
            break
        print(f"{v:9.1f}  {f}")
    if len(args) >= 6:
        btotal, bfns = per_op(args[4], args[5], n1, n2)
        print()
        print(f"baseline: {btotal:.1f} per operation; difference {total - btotal:+.1f} "
              f"({total / btotal:.3f}x). Largest differences by function:")
        print()
        delta = {f: fns.get(f, 0.0) - bfns.get(f, 0.0) for f in set(fns) | set(bfns)}
        print(f"{'ours':>9} {'base':>9} {'diff':>9}  function")
        for f, v in sorted(delta.items(), key=lambda kv: -abs(kv[1]))[:top]:
            if abs(v) < 0.05:
                break
            print(f"{fns.get(f, 0.0):9.1f} {bfns.get(f, 0.0):9.1f} {v:+9.1f}  {f}")


if __name__ == "__main__":
    main()
