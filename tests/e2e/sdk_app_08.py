"""A resonate-sdk 0.7.x/0.8.x application for the end-to-end tests, run unmodified against
the server in a venv with that SDK (Python 3.12 or later).

    python sdk_app_08.py worker URL GROUP PID DIR      a worker process
    python sdk_app_08.py call URL ID FUNC ARGS_JSON    rpc to group "workers", print the result
    python sdk_app_08.py run URL ID FUNC ARGS_JSON     run locally (the caller is the worker)
    python sdk_app_08.py schedule URL ID CRON FUNC ARGS_JSON
    python sdk_app_08.py local FUNC ARGS_JSON          the SDK's in-process mode (no server)

Workers leave marks in DIR (their pid in `started-<name>`, the id of an outside promise
in `promise-<name>`), which the tests wait for.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from resonate.context import Context
from resonate.resonate import Resonate

MARKS = Path(os.environ.get("MARKS_DIR", "."))


def mark(name: str, text: str) -> None:
    (MARKS / name).write_text(text)


async def double(ctx: Context, n: int) -> int:
    return n * 2


async def remote_add(ctx: Context, a: int, b: int) -> dict[str, Any]:
    return {"sum": a + b, "worker": os.getpid()}


async def workflow(ctx: Context, n: int) -> dict[str, Any]:
    """A local child, a child on another group's worker, and a durable sleep."""
    doubled = await ctx.run(double, n)
    added = await ctx.options(target="remote").rpc("remote_add", doubled, 1)
    await ctx.sleep(timedelta(milliseconds=300))
    return {"doubled": doubled, "added": added["sum"], "remote_worker": added["worker"]}


async def fanout(ctx: Context, n: int) -> int:
    """n children on the workers, all started before any is awaited."""
    futures = [ctx.options(target="workers").rpc("double", i) for i in range(n)]
    total = 0
    for future in futures:
        total += await future
    return total


def slow_step(ctx: Context, name: str) -> int:
    """Marks that it started; the first time it runs it takes a minute."""
    first = not (MARKS / f"started-{name}").exists()
    mark(f"started-{name}", str(os.getpid()))
    if first:
        time.sleep(60)
    return os.getpid()


async def killable(ctx: Context, name: str) -> int:
    return await ctx.run(slow_step, name)


def remember(ctx: Context, name: str, promise_id: str) -> None:
    mark(f"promise-{name}", promise_id)


async def approval(ctx: Context, name: str) -> Any:
    """Waits for a promise that someone outside resolves."""
    outside = ctx.promise()
    await ctx.run(remember, name, await outside.id())
    return {"approved": await outside}


async def gate(ctx: Context, name: str, step: int) -> int:
    """Waits (up to a minute, without blocking the SDK's loop and its heartbeats) for the
    test to open the gate: a mark `go-<name>-<step>`."""
    deadline = time.monotonic() + 60
    while not (MARKS / f"go-{name}-{step}").exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return step


async def gated(ctx: Context, name: str, steps: int) -> int:
    """Steps one after another, each waiting for the test: a call tree that grows."""
    done = 0
    for step in range(steps):
        done += await ctx.run(gate, name, step) + 1
    return done


async def note(ctx: Context, name: str) -> int:
    mark(f"fired-{name}-{time.time_ns()}", str(os.getpid()))
    return os.getpid()


FUNCTIONS = [double, remote_add, workflow, fanout, slow_step, killable, remember, approval, gate, gated, note]


def register_all(resonate: Resonate) -> None:
    for function in FUNCTIONS:
        resonate.register(function)


async def worker(url: str, group: str, pid: str, marks: str) -> None:
    global MARKS
    MARKS = Path(marks)
    resonate = Resonate(url=url, group=group, pid=pid, ttl=timedelta(seconds=3))
    register_all(resonate)
    print("ready", flush=True)
    while True:
        await asyncio.sleep(3600)


async def call(url: str, promise_id: str, func: str, args: list[Any]) -> None:
    resonate = Resonate(url=url, group="client")
    try:
        started = time.perf_counter()
        handle = resonate.options(target="workers").rpc(promise_id, func, *args)
        result = await handle.result()
        print(json.dumps({"result": result, "seconds": time.perf_counter() - started}), flush=True)
    finally:
        await resonate.stop()


async def run_here(url: str, promise_id: str, func: str, args: list[Any]) -> None:
    resonate = Resonate(url=url, group="runner")
    register_all(resonate)
    try:
        handle = resonate.run(promise_id, func, *args)
        print(json.dumps({"result": await handle.result()}), flush=True)
    finally:
        await resonate.stop()


async def schedule(url: str, schedule_id: str, cron: str, func: str, args: list[Any]) -> None:
    resonate = Resonate(url=url, group="client")
    await asyncio.sleep(0.5)  # 0.7.x starts its network in the background; a direct call may come first
    try:
        await resonate.options(target="workers").schedule(schedule_id, cron, func, tuple(args))
        print("scheduled", flush=True)
    finally:
        await resonate.stop()


async def local(func: str, args: list[Any]) -> None:
    """The same function in the SDK's in-process mode, for the benchmark."""
    resonate = Resonate()
    register_all(resonate)
    try:
        started = time.perf_counter()
        handle = resonate.run(f"local-{time.time_ns()}", func, *args)
        result = await handle.result()
        print(json.dumps({"result": result, "seconds": time.perf_counter() - started}), flush=True)
    finally:
        await resonate.stop()


def main() -> None:
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "worker":
        asyncio.run(worker(*rest))
    elif mode == "call":
        asyncio.run(call(rest[0], rest[1], rest[2], json.loads(rest[3])))
    elif mode == "run":
        asyncio.run(run_here(rest[0], rest[1], rest[2], json.loads(rest[3])))
    elif mode == "schedule":
        asyncio.run(schedule(rest[0], rest[1], rest[2], rest[3], json.loads(rest[4])))
    elif mode == "local":
        asyncio.run(local(rest[0], json.loads(rest[1])))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
