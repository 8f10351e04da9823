"""A Resonate application on the published SDK, run as a separate process by the
end-to-end tests.

    python -m tests.e2e.sdk_app worker STORE_URL POLL_URL GROUP PID
    python -m tests.e2e.sdk_app call STORE_URL POLL_URL PROMISE_ID FUNC ARGS_JSON

A worker registers the functions below and serves its group until killed. A call
starts FUNC remotely on the group "workers" and prints its result as JSON, then the
seconds it took from the trigger to the result.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from resonate import Resonate
from resonate.context import Context
from resonate.stores import RemoteStore
from resonate.task_sources import Poller

WORKERS = "poll://workers"


def add(ctx: Context, a: int, b: int) -> int:
    return a + b


def square(ctx: Context, n: int) -> int:
    return n * n


def fan_out(ctx: Context, n: int) -> Any:
    """Starts n remote children at once, then waits for all of them."""
    children = []
    for i in range(n):
        child = yield ctx.rfi("square", i).options(send_to=WORKERS)
        children.append(child)
    total = 0
    for child in children:
        total += yield child
    return total


def wait_for_approval(ctx: Context, approval_id: str) -> Any:
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


FUNCTIONS = [add, square, fan_out, wait_for_approval, crash_once]


def connect(store_url: str, poll_url: str, group: str, pid: str | None = None) -> Resonate:
    resonate = Resonate(pid=pid, store=RemoteStore(url=store_url), task_source=Poller(url=poll_url, group=group))
    for function in FUNCTIONS:
        resonate.register(function)
    return resonate


def main(argv: list[str]) -> None:
    mode, store_url, poll_url = argv[:3]
    if mode == "worker":
        group, pid = argv[3:5]
        connect(store_url, poll_url, group, pid)
        print("ready", flush=True)
        while True:
            time.sleep(3600)
    promise_id, function, args = argv[3], argv[4], json.loads(argv[5])
    resonate = connect(store_url, poll_url, "callers")
    started = time.monotonic()
    handle = resonate.trigger(promise_id, WORKERS, function, *args)
    print(json.dumps(handle.result(timeout=600)), flush=True)
    print(f"{time.monotonic() - started:.3f}", flush=True)  # seconds from trigger to result
    os._exit(0)  # the SDK's threads do not stop


if __name__ == "__main__":
    main(sys.argv[1:])
