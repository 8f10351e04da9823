"""SDK applications run as real processes by the end-to-end tests."""

from __future__ import annotations

import contextlib
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.conftest import REPO


class SdkProcess:
    """An SDK application process: its first line of output, and a kill."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.log = log
        self._log_file = open(log, "w")  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=self._log_file, text=True)

    def first_line(self, timeout_s: float) -> str:
        """The first line printed (a worker's "ready", or a call's result)."""
        deadline = time.monotonic() + timeout_s
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=0.5):
                line = self.process.stdout.readline()
                if line:
                    return line.strip()
            if self.process.poll() is not None:
                break
        raise AssertionError(f"no output within {timeout_s}s; stderr:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._log_file.close()


@contextlib.contextmanager
def running_workers(start: Callable[[int], SdkProcess], count: int = 2) -> Iterator[list[SdkProcess]]:
    """`count` worker processes, each ready (it printed "ready"), killed on exit; a
    worker that died by itself (not by the test's SIGKILL) fails the test."""
    started = [start(n) for n in range(count)]
    try:
        for worker in started:
            assert worker.first_line(60) == "ready"
        yield started
    finally:
        for worker in started:
            alive = worker.process.poll() is None
            worker.kill()
            assert alive or worker.process.returncode == -signal.SIGKILL, worker.log.read_text()[-3000:]
