"""The current protocol's promise.create (POST / envelopes) against the floor, beside
the legacy create (POST /promises), all in one run.

    python bench/envelope.py [--clients 1,32] [--duration 5] [--rounds 3]

Our server and the floor (bench/floor.py, which answers both routes with one Lua
create-if-absent and nothing else) run under the same gunicorn settings; wrk drives
them alternately. Prints medians of req/s and p50, and the ratios ours/floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.compare import floor, ours, report, show
from bench.load import LoadResult, require_wrk, run_wrk

SCRIPTS = {"envelope promise.create (POST /)": "envelope_create.lua", "legacy create (POST /promises)": "create.lua"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,32")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    require_wrk()
    clients = [int(c) for c in args.clients.split(",")]
    runs: dict[str, dict[tuple[str, int], list[LoadResult]]] = {title: {} for title in SCRIPTS}
    with tempfile.TemporaryDirectory() as folder, ours() as a, floor(Path(folder)) as b:
        for target in (a, b):
            for script in SCRIPTS.values():
                run_wrk(target.url, script, 8, 2, "warmup" + uuid.uuid4().hex[:4])
        for round_number in range(1, args.rounds + 1):
            for count in clients:
                for title, script in SCRIPTS.items():
                    for target in (a, b):
                        result = run_wrk(target.url, script, count, args.duration, uuid.uuid4().hex[:8])
                        runs[title].setdefault((target.name, count), []).append(result)
                        show(round_number, script, target.name, result)
    for title in SCRIPTS:
        report(title, runs[title], clients)


if __name__ == "__main__":
    main()
