"""This checkout against an earlier commit, side by side in one run: what a change costs.

    python bench/revisions.py --base 3e3437c [--script envelope_create.lua] [--clients 1,32] [--rounds 3]

Checks the base commit out in a temporary git worktree, starts `resonate serve` from it
and from this checkout (same interpreter, default settings, fresh embedded stores, both
up at once), and drives them alternately with one wrk script. Prints every run, then
medians and the ratio this checkout / base per client count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import LoadResult, free_port, require_wrk, run_wrk
from bench.server import REPO, wait_healthy


@contextmanager
def worktree(revision: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="resonate-base-"))
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(folder), revision], cwd=REPO, check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=REPO, check=False)


@contextmanager
def server_from(checkout: Path) -> Iterator[str]:
    """`resonate serve` with the code of `checkout`, on free ports and a fresh store."""
    port, poll_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RESONATE_")} | {
            "RESONATE_HOST": "127.0.0.1",
            "RESONATE_PORT": str(port),
            "RESONATE_POLL_PORT": str(poll_port),
            "RESONATE_DATA_DIR": data_dir,
            "RESONATE_LOG_LEVEL": "warning",
            "PYTHONPATH": str(checkout),
        }
        process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env, cwd=checkout)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare against")
    parser.add_argument("--script", default="envelope_create.lua", help="a script in bench/wrk/")
    parser.add_argument("--clients", default="1,32")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    require_wrk()
    clients = [int(c) for c in args.clients.split(",")]
    runs: dict[tuple[str, int], list[LoadResult]] = {}
    with worktree(args.base) as base, server_from(base) as base_url, server_from(REPO) as head_url:
        targets = {"base": base_url, "head": head_url}
        for name, url in targets.items():
            run_wrk(url, args.script, 8, 2, f"warmup-{name}")
        for round_number in range(1, args.rounds + 1):
            for count in clients:
                for name, url in targets.items():
                    result = run_wrk(url, args.script, count, args.duration, f"{name}-{round_number}-{count}")
                    runs.setdefault((name, count), []).append(result)
                    rate, p50 = result.requests_per_s, result.p50_ms
                    print(f"round {round_number} {name:>4} c={count:<4} {rate:8.0f} req/s p50 {p50:6.2f} ms")
    print(f"\n{args.script}: this checkout against {args.base}, medians")
    for count in clients:
        base_runs, head_runs = runs[("base", count)], runs[("head", count)]
        base_rate = statistics.median(r.requests_per_s for r in base_runs)
        head_rate = statistics.median(r.requests_per_s for r in head_runs)
        base_p50 = statistics.median(r.p50_ms for r in base_runs)
        head_p50 = statistics.median(r.p50_ms for r in head_runs)
        print(
            f"{count:>4} clients: base {base_rate:.0f} req/s (p50 {base_p50:.2f} ms), "
            f"this {head_rate:.0f} req/s (p50 {head_p50:.2f} ms), ratio {head_rate / base_rate:.2f}"
        )


if __name__ == "__main__":
    main()
