"""Running wrk against a server and reading its figures (throughput, latency)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPTS = Path(__file__).parent / "wrk"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class LoadResult:
    clients: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    return wrk


def run_wrk(url: str, script: str, clients: int, duration_s: int, *script_args: str) -> LoadResult:
    threads = min(clients, 2)
    command = [
        require_wrk(),
        f"-t{threads}",
        f"-c{clients}",
        f"-d{duration_s}s",
        "--latency",
        "-s",
        str(WRK_SCRIPTS / script),
        url,
        "--",
        *script_args,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return LoadResult(
        clients=clients,
        requests_per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_latency(output, "50%"),
        p99_ms=_latency(output, "99%"),
        errors=_errors(output),
    )


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {percentile} latency in wrk output:\n{output}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _errors(output: str) -> int:
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    total = int(non_2xx.group(1)) if non_2xx else 0
    if socket:
        total += sum(int(n) for n in socket.groups())
    return total
