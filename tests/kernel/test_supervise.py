"""Supervision: a thread that must not die ends its process, loudly, so that gunicorn
starts a fresh worker instead of keeping one that answers 503 for ever."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from kernel.supervise import EXIT_THREAD_DIED
from tests.conftest import REPO

KERNEL_DIES = textwrap.dedent(
    """
    import logging, time
    from kernel.bus import CQE, SQE
    from kernel.system import System

    logging.basicConfig()
    system = System([])
    system.start()

    def broken_callback(completion, error):
        raise RuntimeError("a bug outside any coroutine")

    system.completions.put(CQE(SQE(None, broken_callback), None))
    time.sleep(10)
    print("still running")
    """
)


def test_an_exception_escaping_the_kernel_loop_ends_the_process() -> None:
    done = subprocess.run([sys.executable, "-c", KERNEL_DIES], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert done.returncode == EXIT_THREAD_DIED
    assert "still running" not in done.stdout
    assert "thread kernel died" in done.stderr and "a bug outside any coroutine" in done.stderr
