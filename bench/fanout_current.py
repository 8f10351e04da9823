"""Fan-out with resonate-sdk 0.8.1 through our server, against the same workflow in the
SDK's in-process local mode (no server), side by side in one run.

    python bench/fanout_current.py [--children 100] [--workers 2] [--rounds 3]

Through the server: `resonate serve` (default settings, fresh embedded store), SDK
worker processes in group "workers", and a caller that rpc's fanout(N): one function
that starts N children on the workers with ctx.rpc and awaits them all. Locally: the
same function run by one process with no server. Prints children per second (from
the call to the result, process start-up not counted), per round and as medians, and
the ratio. Needs a Python 3.12 (pyenv); the SDK's venv is made once and kept in
~/.cache/resonate-bench.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import our_server
from tests.e2e.sdk_process import make_venv

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "tests" / "e2e" / "sdk_app_08.py")
CACHE = Path.home() / ".cache" / "resonate-bench" / "sdk081"


def sdk_python() -> str:
    python = CACHE / "venv" / "bin" / "python"
    if not python.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        make_venv(CACHE, "resonate-sdk==0.8.1")
    return str(python)


def timed(command: list[str], expected: int) -> float:
    output = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True, timeout=600).stdout
    answer = json.loads(output.splitlines()[0])
    assert answer["result"] == expected, answer
    return float(answer["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="SDK worker processes")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    python = sdk_python()
    expected = sum(2 * i for i in range(args.children))
    served: list[float] = []
    local: list[float] = []
    with our_server(workers=2) as server:
        workers = [
            subprocess.Popen(
                [python, APP, "worker", server.url, "workers", f"bench-{n}", "/tmp"],
                cwd=REPO,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(args.workers)
        ]
        try:
            for worker in workers:
                assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
            for round_number in range(1, args.rounds + 1):
                call = [python, APP, "call", server.url, f"fan-{uuid.uuid4().hex[:8]}", "fanout", f"[{args.children}]"]
                served.append(args.children / timed(call, expected))
                local.append(args.children / timed([python, APP, "local", "fanout", f"[{args.children}]"], expected))
                print(f"round {round_number}: server {served[-1]:.0f} children/s, local {local[-1]:.0f} children/s")
        finally:
            for worker in workers:
                worker.kill()
                worker.wait()
    ours, alone = statistics.median(served), statistics.median(local)
    print(f"\nmedian: server {ours:.0f} children/s, local mode {alone:.0f} children/s, ratio {ours / alone:.3f}")


if __name__ == "__main__":
    main()
