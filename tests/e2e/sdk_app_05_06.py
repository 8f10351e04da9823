"""A Resonate application on resonate-sdk 0.5.x or 0.6.x (Python 3.12 and later), run as a
separate process by the end-to-end tests with the interpreter of a venv the fixtures
make. It imports nothing from this repository.

    python sdk_app_05_06.py worker HOST STORE_PORT POLL_PORT GROUP PID
    python sdk_app_05_06.py call HOST STORE_PORT POLL_PORT PROMISE_ID FUNC ARGS_JSON

A worker registers the functions below and serves its group until killed. A call
starts FUNC on the group "workers" and prints its result as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

from resonate import Context, Resonate

WORKERS = "poll://any@workers"  # as a URL: 0.6.3 sends a bare name as it is


def add(ctx: Context, a: int, b: int) -> int:
    return a + b


def square(ctx: Context, n: int) -> int:
    return n * n


def workflow(ctx: Context, n: int) -> Generator[Any, Any, dict[str, Any]]:
    """A local child, a remote child on the group, then a durable sleep."""
    local = yield ctx.lfc(square, n)
    remote = yield ctx.rfc("add", local, 1).options(target=WORKERS)
    started = time.time()
    yield ctx.sleep(1.0)
    return {"local": local, "remote": remote, "slept": time.time() - started >= 0.9}


def wait_for_approval(ctx: Context, approval_id: str) -> Generator[Any, Any, str]:
    """Waits on a promise that someone outside resolves."""
    approval = yield ctx.promise(id=approval_id)
    decision = yield approval
    return f"approved: {decision}"


def crash_once(ctx: Context, marker: str) -> str:
    """The first process to run this writes its pid and hangs (the test kills it);
    the next one finishes."""
    path = Path(marker)
    if not path.exists():
        path.write_text(str(os.getpid()))
        time.sleep(600)
    return f"finished by {os.getpid()}"


FUNCTIONS = [add, square, workflow, wait_for_approval, crash_once]


def connect(host: str, store_port: str, poll_port: str, group: str, pid: str | None = None) -> Resonate:
    resonate = Resonate.remote(
        host=host, store_port=store_port, message_source_port=poll_port, group=group, pid=pid, ttl=5
    )
    for function in FUNCTIONS:
        resonate.register(function)
    resonate.start()
    return resonate


def main(argv: list[str]) -> None:
    mode, host, store_port, poll_port = argv[:4]
    if mode == "worker":
        group, pid = argv[4:6]
        connect(host, store_port, poll_port, group, pid)
        print("ready", flush=True)
        while True:
            time.sleep(3600)
    promise_id, function, args = argv[4], argv[5], json.loads(argv[6])
    resonate = connect(host, store_port, poll_port, "callers")
    targeted = resonate.options(target=WORKERS)
    begin_rpc = getattr(targeted, "begin_rpc", targeted.rpc)  # 0.5.x: rpc returns the handle
    handle = begin_rpc(promise_id, function, *args)
    print(json.dumps(handle.result()), flush=True)
    os._exit(0)  # the SDK's threads do not stop


if __name__ == "__main__":
    main(sys.argv[1:])
