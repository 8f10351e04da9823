"""SDK applications run as real processes by the end-to-end tests."""

from __future__ import annotations

import contextlib
import glob
import os
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO


def python312() -> str:
    """A Python 3.12 or later: on PATH, else one pyenv installed."""
    for name in ("python3.12", "python3.13"):
        found = shutil.which(name)
        if found and "shims" not in found:
            return found
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = sorted(glob.glob(f"{pyenv_root}/versions/3.1[2-9]*/bin/python3"))
    if not candidates:
        pytest.fail("these tests need a Python 3.12 or later (pyenv install 3.12)")
    return candidates[0]


def make_venv(folder: Path, requirement: str) -> str:
    """The interpreter of a new Python 3.12 venv in folder with requirement installed."""
    venv = folder / "venv"
    subprocess.run([python312(), "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", requirement]
    subprocess.run(pip, check=True, timeout=600, capture_output=True)
    return str(venv / "bin" / "python")


_VENVS: dict[str, str] = {}  # requirement -> interpreter, for the whole test run


def sdk_venv(tmp_path_factory: pytest.TempPathFactory, requirement: str) -> str:
    """make_venv once per run for each requirement, whichever tests ask (they only read
    from it)."""
    if requirement not in _VENVS:
        _VENVS[requirement] = make_venv(tmp_path_factory.mktemp("sdk-venv"), requirement)
    return _VENVS[requirement]


class SdkProcess:
    """An SDK application process: its first line of output, and a kill."""

    def __init__(self, command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        self._log_file = open(log, "w")  # noqa: SIM115
        environment = {**os.environ, **env} if env else None
        self.process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=self._log_file, text=True, env=environment
        )

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
