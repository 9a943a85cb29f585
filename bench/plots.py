#!/usr/bin/env python3
# Copyright 2026 Boost.ContextVars developers
# Distributed under the Boost Software License, Version 1.0.
# https://www.boost.org/LICENSE_1_0.txt
"""Draws the plots of a bench/run results directory as SVG, by hand (python3's
standard library only, no plotting package):

  handler_instructions.svg  instructions per handler by build (plain Asio,
                            context_executor, tracking), callgrind, as a ratio
                            to plain Asio (an echo round trip is 30 times a
                            chained handler: one axis of instructions would
                            hide the handler cases)
  server_cpu.svg            server CPU per request by build, echo and Beast
                            servers: medians over the rounds, min-max whiskers
  server_instructions.svg   server instructions per request by build
                            (callgrind), medians of the runs, min-max whiskers
  context_size.svg          instructions per chained handler by the number of
                            vars in the context, by build

    bench/plots.py RESULTS_DIR OUT_DIR [OUT_DIR ...]

reads RESULTS_DIR as bench/report.py does and writes the three files into
every OUT_DIR (created if missing). A plot whose data is missing is skipped.
"""

import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402  (the data and the case table are report.py's)

BUILDS = [("plain", "plain Asio", "#8c8c8c"), ("ctx", "context_executor", "#3b75af"),
          ("tracking", "tracking mode", "#d9822b")]


def bar_chart(title, unit, groups, note=""):
    """Horizontal grouped bars. groups: [(label, {build: (value, lo, hi, text)})]; lo/hi draw a whisker."""
    bar_h, gap, left, right, top = 14, 12, 210, 150, 56
    width = 860
    plot_w = width - left - right
    vmax = max((max(v for v in (val, hi) if v is not None) for _, d in groups for val, _, hi, _ in d.values()
                if val is not None), default=1.0) or 1.0
    # A round step (1, 2 or 5 times a power of ten) giving at most 8 intervals.
    step = 10.0 ** (len(str(int(vmax))) - 2) if vmax >= 10 else 0.1
    while not any(vmax / (k * step) <= 8 for k in (1, 2, 5)):
        step *= 10
    step *= next(k for k in (1, 2, 5) if vmax / (k * step) <= 8)
    axis_max = step * (int(vmax / step) + 1)
    height = top + len(groups) * (len(BUILDS) * bar_h + gap) + 50 + (14 if note else 0)
    x = lambda v: left + plot_w * v / axis_max  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>']
    # legend
    lx = left
    for _, label, color in BUILDS:
        out.append(f'<rect x="{lx}" y="28" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{lx + 16}" y="38">{escape(label)}</text>')
        lx += 30 + 7 * len(label)
    bottom = height - 36 - (14 if note else 0)
    # grid and axis
    v = 0.0
    while v <= axis_max + 1e-9:
        gx = x(v)
        out.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{bottom}" stroke="#e4e4e4"/>')
        lab = f"{v:g}" if v < 1000 else f"{v:,.0f}"
        out.append(f'<text x="{gx:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#444">{lab}</text>')
        v += step
    out.append(f'<text x="{left + plot_w / 2}" y="{bottom + 30}" text-anchor="middle">{escape(unit)}</text>')
    y = top
    for label, d in groups:
        gy = y + len(BUILDS) * bar_h / 2
        out.append(f'<text x="{left - 8}" y="{gy + 4:.1f}" text-anchor="end">{escape(label)}</text>')
        for key, _, color in BUILDS:
            val, lo, hi, text = d.get(key, (None, None, None, ""))
            if val is not None:
                out.append(f'<rect x="{left}" y="{y + 1}" width="{max(x(val) - left, 0.5):.1f}" height="{bar_h - 2}" '
                           f'fill="{color}"/>')
                end = x(val)
                if lo is not None and hi is not None:
                    wy = y + bar_h / 2
                    out.append(f'<line x1="{x(lo):.1f}" y1="{wy}" x2="{x(hi):.1f}" y2="{wy}" stroke="black"/>')
                    for w in (lo, hi):
                        out.append(f'<line x1="{x(w):.1f}" y1="{wy - 4}" x2="{x(w):.1f}" y2="{wy + 4}" stroke="black"/>')
                    end = max(end, x(hi))
                out.append(f'<text x="{end + 4:.1f}" y="{y + bar_h - 3}" fill="#222">{escape(text)}</text>')
            y += bar_h
        y += gap
    out.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{bottom}" stroke="black"/>')
    if note:
        out.append(f'<text x="{left}" y="{height - 6}" fill="#444">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def ratio_text(v, base, fmt_v):
    if v is None:
        return ""
    return fmt_v(v) + (f"  ({v / base:.3f}×)" if base else "")


def handler_plot(d):
    cg = {(r["case"], r.get("vars")): r["per_op"] for r in report.read_jsonl(os.path.join(d, "callgrind.jsonl"))}
    cgt = {r["case"]: r["per_op"] for r in report.read_jsonl(os.path.join(d, "callgrind_tracking.jsonl"))}
    groups = []
    for short, i in report.PLOT_CASES:
        _, pl, cx, tr, _, _, _ = report.ISSUE14_ROWS[i]
        vals = {"plain": cg.get((pl, None)), "ctx": cg.get((cx, None)), "tracking": cgt.get(tr)}
        base = vals["plain"]
        if not base:
            continue
        groups.append((short, {k: (v / base, None, None, ratio_text(v, base, lambda a: f"{a:,.0f} instr"))
                               for k, v in vals.items() if v is not None}))
    if not groups:
        return None
    return bar_chart("Instructions per handler by build (callgrind), relative to plain Asio",
                     "instructions per handler (echo: per round trip) ÷ plain Asio's", groups,
                     "labels: instructions per handler (ratio to plain Asio, same run); timer: the context_executor "
                     "bar is bind_context")


def server_plot(d):
    summary = report.server_summary(report.read_jsonl(os.path.join(d, "server.jsonl")))
    groups = []
    for server, res in summary.items():
        base = (res.get("plain") or {}).get("cpu")
        groups.append((report.SERVER_LABELS.get(server, server),
                       {m: (r["cpu"], r["cpu_min"], r["cpu_max"],
                            ratio_text(r["cpu"], base, lambda a: f"{a:.2f} µs"))
                        for m, r in res.items() if r.get("cpu") is not None}))
    if not groups:
        return None
    return bar_chart("Server CPU time per request (user + system of the server threads)", "µs of CPU per request",
                     groups, "medians over alternating rounds; whiskers: min–max over the rounds; ratio to plain Asio")


def server_instructions_plot(d):
    by = {}
    for r in report.read_jsonl(os.path.join(d, "server_callgrind.jsonl")):
        if r.get("served"):
            by.setdefault(r["server"], {}).setdefault(r["mode"], []).append(r["server_instructions"] / r["served"])
    groups = []
    for server, modes in by.items():
        base = report.median(modes.get("plain", []))
        groups.append((report.SERVER_LABELS.get(server, server),
                       {m: (report.median(xs), min(xs), max(xs),
                            ratio_text(report.median(xs), base, lambda a: f"{a:,.0f} instr"))
                        for m, xs in modes.items()}))
    if not groups:
        return None
    return bar_chart("Server instructions per request (callgrind, the server threads, user space)",
                     "instructions per request", groups,
                     "medians of the callgrind runs; whiskers: min–max; ratio to plain Asio")


def context_size_plot(d):
    plain = {(r["case"], r["vars"]): r["per_op"] for r in report.read_jsonl(os.path.join(d, "callgrind_scale.jsonl"))}
    track = {(r["case"], r["vars"]): r["per_op"]
             for r in report.read_jsonl(os.path.join(d, "callgrind_scale_tracking.jsonl"))}
    groups = []
    for v in sorted({v for _, v in list(plain) + list(track)}):
        vals = {"plain": plain.get(("scale/chain", v)), "ctx": plain.get(("scale/ctx_chain", v)),
                "tracking": track.get(("scale/chain", v))}
        base = vals["plain"]
        groups.append((f"{v:,} vars set", {k: (x, None, None, ratio_text(x, base, lambda a: f"{a:,.0f}"))
                                           for k, x in vals.items() if x is not None}))
    if not groups:
        return None
    return bar_chart("Instructions per chained handler by the size of the context (callgrind)",
                     "instructions per handler", groups, "ratios to plain Asio at the same number of vars")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    d, outs = sys.argv[1], sys.argv[2:]
    plots = {"handler_instructions.svg": handler_plot(d), "server_cpu.svg": server_plot(d),
             "server_instructions.svg": server_instructions_plot(d), "context_size.svg": context_size_plot(d)}
    for out in outs:
        os.makedirs(out, exist_ok=True)
        for name, svg in plots.items():
            if svg is None:
                print(f"plots: no data for {name}", file=sys.stderr)
                continue
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                f.write(svg)
            print(f"plots: {os.path.join(out, name)}", file=sys.stderr)


if __name__ == "__main__":
    main()
