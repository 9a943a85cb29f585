#!/usr/bin/env python3
# Copyright 2026 Boost.ContextVars developers
# Distributed under the Boost Software License, Version 1.0.
# https://www.boost.org/LICENSE_1_0.txt
"""The oracle of the differential test: runs programs (test/differential/README.md
describes their language) with CPython's contextvars and asyncio, and prints one
trace per program in the format that interpreter.cpp and asyncio_interpreter.cpp
print. Reads programs separated by '===' lines from a file or stdin."""

import asyncio
import contextvars
import sys

STEP_LIMIT = 20000


class Node:
    def __init__(self, line, op, args):
        self.line, self.op, self.args, self.body = line, op, args, []


BLOCKS = {"run", "bind", "bindctx", "scoped", "try", "spawn", "soon", "sub"}


def parse(text):
    """Returns (header words, vars [(name, default or None)], statements)."""
    lines = text.split("\n")
    header = lines[0].split()
    variables = []
    root = Node(0, "root", [])
    stack = [root]
    for i, raw in enumerate(lines[1:], start=2):
        words = raw.split()
        if not words:
            continue
        if words[0] == "var":
            variables.append((words[1], int(words[3]) if len(words) > 3 else None))
            continue
        if words[0] == "end":
            if len(stack) > 1:
                stack[-1].end_line = i
                stack.pop()
            continue
        node = Node(i, words[0], words[1:])
        stack[-1].body.append(node)
        if node.op in BLOCKS:
            node.end_line = None
            stack.append(node)
    for n in stack[1:]:
        n.end_line = len(lines) + 1
    return header, variables, root.body


class Boom(Exception):
    pass


class Limit(Exception):
    pass


def classify_reset(e):
    if isinstance(e, RuntimeError):
        return "error used"
    if "different ContextVar" in str(e):
        return "error var"
    return "error context"


def items(ctx):
    return "{" + ", ".join("%s: %s" % (v.name, val) for v, val in sorted(ctx.items(), key=lambda kv: kv[0].name)) + "}"


class Core:
    """Runs the core statements; `out(line, text)` receives the trace."""

    def __init__(self, variables, out):
        self.vars = {n: (contextvars.ContextVar(n, default=d) if d is not None else contextvars.ContextVar(n))
                     for n, d in variables}
        self.out = out
        self.tokens, self.ctxs, self.binders = {}, {}, {}
        self.steps = 0

    def step(self):
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise Limit()

    def lookup(self, table, name):
        if name not in table:
            raise KeyError(name)
        return table[name]

    def stmt(self, n):
        """Executes one synchronous statement; False if `n` is not one."""
        self.step()
        op, a, out, L = n.op, n.args, self.out, n.line
        try:
            if op == "set":
                self.tokens[a[2]] = self.lookup(self.vars, a[0]).set(int(a[1]))
                out(L, "ok")
            elif op == "reset":
                var, tok = self.lookup(self.vars, a[0]), self.lookup(self.tokens, a[1])
                try:
                    var.reset(tok)
                    out(L, "ok")
                except (RuntimeError, ValueError) as e:
                    out(L, classify_reset(e))
            elif op == "get":
                var = self.lookup(self.vars, a[0])
                try:
                    out(L, str(var.get()))
                except LookupError:
                    out(L, "error lookup")
            elif op == "getd":
                out(L, str(self.lookup(self.vars, a[0]).get(int(a[1]))))
            elif op == "cur":
                out(L, items(contextvars.copy_context()))
            elif op == "tokvar":
                out(L, self.lookup(self.tokens, a[0]).var.name)
            elif op == "tokold":
                old = self.lookup(self.tokens, a[0]).old_value
                out(L, "MISSING" if old is contextvars.Token.MISSING else str(old))
            elif op == "new":
                self.ctxs[a[0]] = contextvars.Context()
                out(L, "ok")
            elif op == "copy":
                self.ctxs[a[0]] = contextvars.copy_context()
                out(L, "ok")
            elif op == "ctxcopy":
                self.ctxs[a[1]] = self.lookup(self.ctxs, a[0]).copy()
                out(L, "ok")
            elif op == "len":
                out(L, str(len(self.lookup(self.ctxs, a[0]))))
            elif op == "contains":
                out(L, str(self.lookup(self.vars, a[1]) in self.lookup(self.ctxs, a[0])).lower())
            elif op == "cget":
                r = self.lookup(self.ctxs, a[0]).get(self.lookup(self.vars, a[1]))
                out(L, "none" if r is None else str(r))
            elif op == "cidx":
                ctx, var = self.lookup(self.ctxs, a[0]), self.lookup(self.vars, a[1])
                try:
                    out(L, str(ctx[var]))
                except KeyError:
                    out(L, "error key")
            elif op == "items":
                out(L, items(self.lookup(self.ctxs, a[0])))
            else:
                return False
        except KeyError:
            out(L, "undefined")
        return True

    # Blocks of core programs.
    def block(self, body):
        for n in body:
            self.core(n)

    def core(self, n):
        op, a, out = n.op, n.args, self.out
        if self.stmt(n):
            return
        if op == "raise":
            raise Boom()
        if op == "run":
            if a[0] not in self.ctxs:
                out(n.line, "undefined")
                return
            ctx = self.ctxs[a[0]]
            try:
                ctx.run(self.block, n.body)
            except RuntimeError as e:
                if "entered" not in str(e):
                    raise
                out(n.line, "error entered")
                return
            out(n.end_line, "end")
        elif op in ("bind", "bindctx"):
            if op == "bind":
                snapshot = contextvars.copy_context()
            else:
                if a[1] not in self.ctxs:
                    out(n.line, "undefined")
                    return
                snapshot = self.ctxs[a[1]].copy()
            body = n.body
            # bind_context(f): each call runs f in a fresh copy of the capture.
            self.binders[a[0]] = lambda: snapshot.copy().run(self.block, body)
            out(n.line, "ok")
        elif op == "call":
            if a[0] not in self.binders:
                out(n.line, "undefined")
                return
            self.binders[a[0]]()
            out(n.line, "end")
        elif op == "scoped":
            if a[0] not in self.vars:
                out(n.line, "undefined")
                return
            var = self.vars[a[0]]
            tok = var.set(int(a[1]))
            self.tokens[a[2]] = tok
            out(n.line, "ok")
            try:
                self.block(n.body)
            finally:
                # scoped_set's destructor: reset, or nothing if the token was
                # used by hand (Python would raise RuntimeError). The token's
                # name is the block's only.
                try:
                    var.reset(tok)
                except RuntimeError:
                    pass
                if self.tokens.get(a[2]) is tok:
                    del self.tokens[a[2]]
            out(n.end_line, "end")
        elif op == "try":
            try:
                self.block(n.body)
                out(n.end_line, "end")
            except Boom:
                out(n.end_line, "caught")
        else:
            raise ValueError("line %d: unknown statement %r" % (n.line, op))


def run_core(variables, body):
    trace = []
    interp = Core(variables, lambda line, text: trace.append("%d: %s" % (line, text)))
    try:
        contextvars.Context().run(interp.block, body)
        trace.append("done")
    except Boom:
        trace.append("uncaught")
    except Limit:
        trace.append("limit")
    return trace


def run_asyncio(variables, body):
    trace = []
    pending = [0]
    tasks = {}

    def channel(name):
        return lambda line, text: trace.append("%s %d: %s" % (name, line, text))

    interp = Core(variables, None)

    async def run_body(body, out):
        for n in body:
            await run_node(n, out)

    async def run_node(n, out):
        op, a = n.op, n.args
        interp.out = out
        if interp.stmt(n):
            return
        if op == "yield":
            await asyncio.sleep(0)
            out(n.line, "ok")
        elif op == "sleep":
            await asyncio.sleep(0.001)
            out(n.line, "ok")
        elif op == "spawn":
            pending[0] += 1

            async def child(body=n.body, out=channel(a[0])):
                try:
                    await run_body(body, out)
                    out(0, "done")
                finally:
                    pending[0] -= 1

            tasks[a[0]] = asyncio.get_running_loop().create_task(child())
            out(n.line, "ok")
        elif op == "join":
            if a[0] not in tasks:
                out(n.line, "undefined")
                return
            await tasks[a[0]]
            out(n.line, "ok")
        elif op == "soon":
            pending[0] += 1
            cb_out = channel(a[0])

            def callback(body=n.body):
                try:
                    for m in body:
                        interp.out = cb_out
                        interp.stmt(m)
                    cb_out(0, "done")
                finally:
                    pending[0] -= 1

            asyncio.get_running_loop().call_soon(callback)
            out(n.line, "ok")
        elif op == "sub":
            await run_body(n.body, out)
            out(n.end_line, "end")
        elif op == "scoped":
            if a[0] not in interp.vars:
                out(n.line, "undefined")
                return
            var = interp.vars[a[0]]
            tok = var.set(int(a[1]))
            interp.tokens[a[2]] = tok
            out(n.line, "ok")
            try:
                await run_body(n.body, out)
            finally:
                try:
                    var.reset(tok)
                except RuntimeError:
                    pass
                if interp.tokens.get(a[2]) is tok:
                    del interp.tokens[a[2]]
            out(n.end_line, "end")
        else:
            raise ValueError("line %d: unknown statement %r" % (n.line, op))

    async def main():
        out = channel("main")
        await run_body(body, out)
        while pending[0] > 0:
            await asyncio.sleep(0.001)
        out(0, "done")

    asyncio.run(main())
    return trace


def run_program(text):
    header, variables, body = parse(text)
    if header[:2] == ["program", "core"]:
        return run_core(variables, body)
    if header[:2] == ["program", "asyncio"]:
        return run_asyncio(variables, body)
    raise ValueError("unknown program header %r" % header)


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    programs = [p.strip("\n") for p in text.split("\n===\n")]
    out = []
    for p in programs:
        if not p.strip():
            continue
        out.extend(run_program(p))
        out.append("===")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
