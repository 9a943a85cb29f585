#!/usr/bin/env python3
# Copyright 2026 Boost.ContextVars developers
# Distributed under the Boost Software License, Version 1.0.
# https://www.boost.org/LICENSE_1_0.txt
"""The differential test's driver: generates N random programs from a seed
(README.md describes their language), runs them with the library (the
interpreter executable) and with CPython (oracle.py), compares the traces
line by line, and shrinks the first failing program to a short one
(delta debugging on lines). Exit status 0 if no program differs.

    run.py --interpreter EXE [--kind core|asyncio] [--programs N] [--seed S]
    run.py --interpreter EXE --replay FILE      # one program, both traces
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle  # noqa: E402

EXECUTORS = ["io2", "pool", "strand"]


# ---------------------------------------------------------------------------
# Core programs.

class CoreGen:
    def __init__(self, rng):
        self.r = rng
        self.vars = ["v%d" % i for i in range(rng.randint(1, 3))]
        self.tokens = []      # (name, var)
        self.ctxs = []
        self.ntok = 0
        self.nbind = 0
        self.binders = []     # indices
        self.lines = []
        self.budget = rng.randint(8, 40)

    def emit(self, depth, text):
        self.lines.append("  " * depth + text)

    def val(self):
        return str(self.r.randint(0, 9))

    def token_name(self):
        self.ntok += 1
        return "t%d" % (self.ntok - 1)

    def ctx_name(self):
        if self.ctxs and self.r.random() < 0.3:
            return self.r.choice(self.ctxs)
        name = "c%d" % len(self.ctxs)
        self.ctxs.append(name)
        return name

    def pick_token(self):
        return self.r.choice(self.tokens) if self.tokens else ("t0", self.r.choice(self.vars))

    def block(self, depth, max_binder, in_try):
        n = self.r.randint(1, 5)
        for _ in range(n):
            if self.budget <= 0:
                return
            self.statement(depth, max_binder, in_try)

    def statement(self, depth, max_binder, in_try):
        r = self.r
        self.budget -= 1
        kinds = ["set"] * 20 + ["reset"] * 16 + ["get"] * 8 + ["getd"] * 4 + ["cur"] * 5 + \
                ["copy"] * 5 + ["new"] * 3 + ["ctxcopy"] * 2 + ["view"] * 8 + ["tok"] * 4 + ["call"] * 6 + \
                ["raise"] * (3 if in_try else 1)
        if depth < 4:
            kinds += ["run"] * 9 + ["bind"] * 5 + ["scoped"] * 4 + ["try"] * 3
        k = r.choice(kinds)
        v = r.choice(self.vars)
        if k == "set":
            t = self.token_name()
            self.tokens.append((t, v))
            self.emit(depth, "set %s %s %s" % (v, self.val(), t))
        elif k == "reset":
            t, tv = self.pick_token()
            self.emit(depth, "reset %s %s" % (tv if r.random() < 0.8 else v, t))
        elif k == "get":
            self.emit(depth, "get %s" % v)
        elif k == "getd":
            self.emit(depth, "getd %s %s" % (v, self.val()))
        elif k == "cur":
            self.emit(depth, "cur")
        elif k in ("copy", "new"):
            self.emit(depth, "%s %s" % (k, self.ctx_name()))
        elif k == "ctxcopy":
            if self.ctxs:
                src = r.choice(self.ctxs)
                self.emit(depth, "ctxcopy %s %s" % (src, self.ctx_name()))
        elif k == "view":
            if self.ctxs:
                c = r.choice(self.ctxs)
                op = r.choice(["len", "contains", "cget", "cidx", "items"])
                self.emit(depth, "%s %s" % (op, c) if op in ("len", "items") else "%s %s %s" % (op, c, v))
        elif k == "tok":
            t, _ = self.pick_token()
            self.emit(depth, "%s %s" % (r.choice(["tokvar", "tokold"]), t))
        elif k == "call":
            allowed = [b for b in self.binders if b < max_binder]
            if allowed:
                self.emit(depth, "call b%d" % r.choice(allowed))
        elif k == "raise":
            self.emit(depth, "raise")
        elif k == "run":
            if not self.ctxs:
                self.emit(depth, "new %s" % self.ctx_name())
            self.emit(depth, "run %s" % r.choice(self.ctxs))
            self.block(depth + 1, max_binder, in_try)
            self.emit(depth, "end")
        elif k == "bind":
            i = self.nbind
            self.nbind += 1
            if self.ctxs and r.random() < 0.3:
                self.emit(depth, "bindctx b%d %s" % (i, r.choice(self.ctxs)))
            else:
                self.emit(depth, "bind b%d" % i)
            self.block(depth + 1, min(i, max_binder), in_try)
            self.emit(depth, "end")
            self.binders.append(i)
            if r.random() < 0.7:
                self.emit(depth, "call b%d" % i)
        elif k == "scoped":
            t = self.token_name()
            self.emit(depth, "scoped %s %s %s" % (v, self.val(), t))
            self.tokens.append((t, v))
            self.block(depth + 1, max_binder, in_try)
            self.emit(depth, "end")
        elif k == "try":
            self.emit(depth, "try")
            self.block(depth + 1, max_binder, True)
            self.emit(depth, "end")

    def program(self):
        lines = ["program core"]
        for v in self.vars:
            lines.append("var %s default %s" % (v, self.val()) if self.r.random() < 0.3 else "var %s" % v)
        while self.budget > 0:
            self.statement(0, 1 << 30, False)
        return "\n".join(lines + self.lines)


# ---------------------------------------------------------------------------
# asyncio task trees. Every generated program has one trace per task or
# callback whatever the interleaving: a task sees only tokens made before it
# was spawned (or posted), tokens of children it joined, and its own; and a
# token's owner never resets it once another task may (the "frozen" rule), so
# that whether a foreign reset sees "used" or "different context" does not
# depend on timing.

class Tok:
    def __init__(self, name, var, owner):
        self.name, self.var, self.owner, self.frozen = name, var, owner, False


class AsyncGen:
    def __init__(self, rng):
        self.r = rng
        self.vars = ["v%d" % i for i in range(rng.randint(1, 3))]
        self.ntok = self.ntask = self.nsoon = 0
        self.lines = []
        self.budget = rng.randint(15, 45)

    def emit(self, depth, text):
        self.lines.append("  " * depth + text)

    def val(self):
        return str(self.r.randint(0, 9))

    def new_token(self, var, owner):
        self.ntok += 1
        return Tok("t%d" % (self.ntok - 1), var, owner)

    def sync_stmt(self, depth, task, visible, made):
        r = self.r
        k = r.choice(["set"] * 4 + ["reset"] * 4 + ["get"] * 2 + ["getd", "cur", "tok"])
        v = r.choice(self.vars)
        if k == "set":
            t = self.new_token(v, task)
            visible.append(t)
            made.append(t)
            self.emit(depth, "set %s %s %s" % (v, self.val(), t.name))
        elif k == "reset":
            cands = [t for t in visible if t.owner != task or not t.frozen]
            if cands:
                t = r.choice(cands)
                self.emit(depth, "reset %s %s" % (t.var if r.random() < 0.85 else v, t.name))
        elif k == "get":
            self.emit(depth, "get %s" % v)
        elif k == "getd":
            self.emit(depth, "getd %s %s" % (v, self.val()))
        elif k == "cur":
            self.emit(depth, "cur")
        elif visible:
            self.emit(depth, "%s %s" % (r.choice(["tokvar", "tokold"]), r.choice(visible).name))

    def share(self, visible):
        shared = [t for t in visible if not getattr(t, "scoped", False)]
        for t in shared:
            t.frozen = True
        return list(shared)

    def body(self, depth, task, visible, made, children, nmax):
        r = self.r
        for _ in range(r.randint(1, nmax)):
            if self.budget <= 0:
                return
            self.budget -= 1
            kinds = ["sync"] * 10 + ["yield"] * 3 + ["sleep"] * 2 + ["join"] * 3
            if depth < 4:
                kinds += ["spawn"] * 4 + ["soon"] * 3 + ["sub"] * 2 + ["scoped"] * 2
            k = r.choice(kinds)
            if k == "sync":
                self.sync_stmt(depth, task, visible, made)
            elif k in ("yield", "sleep"):
                self.emit(depth, k)
            elif k == "join":
                open_children = [c for c in children if not c[2]]
                if open_children:
                    c = r.choice(open_children)
                    c[2] = True
                    self.emit(depth, "join %s" % c[0])
                    visible.extend(c[1])
            elif k == "spawn":
                self.ntask += 1
                name = "k%d" % self.ntask
                self.emit(depth, "spawn %s" % name)
                child_made = []
                self.body(depth + 1, name, self.share(visible), child_made, [], 5)
                self.emit(depth, "end")
                children.append([name, [t for t in child_made if not getattr(t, "scoped", False)], False])
            elif k == "soon":
                self.nsoon += 1
                name = "s%d" % self.nsoon
                self.emit(depth, "soon %s" % name)
                vis = self.share(visible)
                for _ in range(r.randint(1, 4)):
                    self.sync_stmt(depth + 1, name, vis, [])
                self.emit(depth, "end")
            elif k == "sub":
                self.emit(depth, "sub")
                self.body(depth + 1, task, visible, made, children, 4)
                self.emit(depth, "end")
            elif k == "scoped":
                v = r.choice(self.vars)
                t = self.new_token(v, task)
                t.scoped = True
                self.emit(depth, "scoped %s %s %s" % (v, self.val(), t.name))
                inner = visible + [t]
                self.body(depth + 1, task, inner, made, children, 4)
                # Tokens made inside stay visible after the block; the guard's does not.
                visible.extend(x for x in inner[len(visible):] if x is not t and x not in visible)
                self.emit(depth, "end")

    def program(self, executor):
        lines = ["program asyncio %s" % executor]
        for v in self.vars:
            lines.append("var %s default %s" % (v, self.val()) if self.r.random() < 0.3 else "var %s" % v)
        while self.budget > 0:
            self.body(0, "main", getattr(self, "_vis", None) or self.__dict__.setdefault("_vis", []), [],
                      self.__dict__.setdefault("_children", []), 8)
        return "\n".join(lines + self.lines)


def generate(kind, seed, i):
    rng = random.Random("%s-%d-%d" % (kind, seed, i))
    if kind == "core":
        return CoreGen(rng).program()
    return AsyncGen(rng).program(EXECUTORS[i % len(EXECUTORS)])


# ---------------------------------------------------------------------------
# Running and comparing.

def split(text):
    out, cur = [], []
    for line in text.split("\n"):
        if line == "===":
            out.append(cur)
            cur = []
        elif line:
            cur.append(line)
    return out


def run_library(exe, programs):
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "programs.txt"), os.path.join(d, "traces.txt")
        with open(src, "w") as f:
            f.write("\n===\n".join(programs) + "\n===\n")
        env = dict(os.environ, BOOST_CONTEXTVARS_DIFFERENTIAL_IN=src, BOOST_CONTEXTVARS_DIFFERENTIAL_OUT=dst)
        p = subprocess.run([exe], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        if not os.path.exists(dst):
            return None, p.stdout.decode(errors="replace")
        with open(dst) as f:
            traces = split(f.read())
        if len(traces) != len(programs):
            return None, "interpreter stopped after %d of %d programs:\n%s" % (
                len(traces), len(programs), p.stdout.decode(errors="replace")[-3000:])
        return traces, ""


def run_oracle(program):
    try:
        return oracle.run_program(program)
    except Exception as e:  # a shrunk program the oracle cannot run
        return ["oracle failed: %r" % e]


def normalise(kind, trace):
    # asyncio: one trace per task or callback, in its own order.
    if kind == "asyncio":
        return sorted(trace, key=lambda l: l.split(" ", 1)[0])
    return trace


def differs(kind, exe, program):
    lib, err = run_library(exe, [program])
    if lib is None:
        return "interpreter failed: " + err
    a, b = normalise(kind, lib[0]), normalise(kind, run_oracle(program))
    if a != b:
        return first_difference(a, b)
    return None


def first_difference(lib, py):
    for i in range(max(len(lib), len(py))):
        x = lib[i] if i < len(lib) else "<nothing>"
        y = py[i] if i < len(py) else "<nothing>"
        if x != y:
            return "trace line %d: library %r, CPython %r" % (i + 1, x, y)
    return None


def same_failure(a, b):
    # A candidate reproduces the failure if it fails the same way: a trace
    # difference, or the interpreter failing, not one for the other.
    return a is not None and b is not None and a.startswith("interpreter failed") == b.startswith("interpreter failed")


def shrink(kind, exe, program):
    """Delta debugging (ddmin) over the program's lines after the header."""
    original = differs(kind, exe, program)
    lines = program.split("\n")
    header, body = lines[:1], lines[1:]
    n = 2
    while len(body) >= 2:
        chunk = max(1, len(body) // n)
        reduced = False
        for start in range(0, len(body), chunk):
            candidate = body[:start] + body[start + chunk:]
            if candidate and same_failure(original, differs(kind, exe, "\n".join(header + candidate))):
                body = candidate
                n = max(n - 1, 2)
                reduced = True
                break
        if not reduced:
            if n >= len(body):
                break
            n = min(len(body), n * 2)
    return "\n".join(header + body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interpreter", required=True)
    ap.add_argument("--kind", choices=["core", "asyncio"], default="core")
    ap.add_argument("--programs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--replay")
    ap.add_argument("--save", help="write the generated programs to this file")
    args = ap.parse_args()

    if args.replay:
        program = open(args.replay).read().strip("\n")
        lib, err = run_library(args.interpreter, [program])
        print("library:\n  " + ("\n  ".join(lib[0]) if lib else err))
        print("CPython:\n  " + "\n  ".join(run_oracle(program)))
        return 0

    programs = [generate(args.kind, args.seed, i) for i in range(args.programs)]
    if args.save:
        with open(args.save, "w") as f:
            f.write("\n===\n".join(programs) + "\n===\n")
    lib, err = run_library(args.interpreter, programs)
    if lib is None:
        print("differential: the interpreter failed:\n" + err)
        return 2
    failing, compared = [], 0
    for i, (program, trace) in enumerate(zip(programs, lib)):
        py = run_oracle(program)
        compared += max(len(trace), len(py))
        a, b = normalise(args.kind, trace), normalise(args.kind, py)
        if a != b:
            failing.append((i, first_difference(a, b)))
    print("differential (%s, seed %d): %d programs, %d trace lines compared, %d programs differ"
          % (args.kind, args.seed, len(programs), compared, len(failing)))
    if not failing:
        return 0
    for i, why in failing[:5]:
        print("  program %d: %s" % (i, why))
    i = failing[0][0]
    small = shrink(args.kind, args.interpreter, programs[i])
    print("shortest failing program found (from program %d, %d lines -> %d):"
          % (i, programs[i].count("\n") + 1, small.count("\n") + 1))
    print("    " + small.replace("\n", "\n    "))
    print("  " + (differs(args.kind, args.interpreter, small) or ""))
    return 1


if __name__ == "__main__":
    sys.exit(main())
