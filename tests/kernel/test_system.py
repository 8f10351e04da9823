"""System: request routing, wake-up on arrival, AIO batching, background work, shutdown."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from kernel.bus import CQE, SQE, RingingQueue
from kernel.coroutine import Coroutine
from kernel.errors import Cancelled, Overloaded, ShuttingDown
from kernel.system import System


@dataclass(frozen=True)
class Echo:
    kind: ClassVar[str] = "echo"
    text: str


class EchoSubsystem:
    """A real AIO subsystem on its own thread: answers each submission with its text,
    recording how submissions arrived in batches."""

    kind = "echo"

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.release = threading.Event()
        self.release.set()
        self._completions: RingingQueue[CQE] | None = None

    def start(self, completions: RingingQueue[CQE]) -> None:
        self._completions = completions

    def enqueue(self, batch: list[SQE]) -> None:
        self.batches.append([sqe.submission.text for sqe in batch])

        def answer() -> None:
            self.release.wait()
            assert self._completions is not None
            self._completions.put_all([CQE(sqe, sqe.submission.text.upper()) for sqe in batch])

        threading.Thread(target=answer, daemon=True).start()

    def stop(self) -> None:
        self.release.set()


@dataclass(frozen=True)
class Shout:
    text: str


def shout(c: Coroutine, request: Shout) -> str:
    reply, error = c.yield_(Echo(request.text))
    assert error is None
    return reply


@pytest.fixture
def echo() -> EchoSubsystem:
    return EchoSubsystem()


@pytest.fixture
def system(echo: EchoSubsystem) -> Any:
    # A long idle wait: a request answered quickly proves the loop woke on arrival.
    system = System([echo], idle_wait_s=30.0)
    system.add_on_request(Shout, shout)
    system.start()
    yield system
    system.shutdown()


def test_a_request_runs_its_coroutine_and_completes_its_future(system: System) -> None:
    assert system.submit(Shout("hello")).result(timeout=5) == "HELLO"


def test_the_loop_wakes_when_a_request_arrives_not_at_the_next_tick(system: System) -> None:
    system.submit(Shout("warm up")).result(timeout=5)
    started = time.monotonic()
    system.submit(Shout("now")).result(timeout=5)
    # the loop sleeps up to 30 s between ticks; the answer must not wait for that
    assert time.monotonic() - started < 2.0


def test_submissions_ready_in_one_tick_reach_the_aio_as_one_batch(echo: EchoSubsystem) -> None:
    system = System([echo], idle_wait_s=30.0)
    system.add_on_request(Shout, shout)
    echo.start(system.completions)
    for text in ("a", "b", "c"):
        system.submit(Shout(text))
    system.tick()  # one tick, driven by hand: the three coroutines yield together
    assert echo.batches == [["a", "b", "c"]]


def test_an_unknown_request_kind_fails_its_future(system: System) -> None:
    with pytest.raises(TypeError):
        system.submit("not a request").result(timeout=5)


def test_background_work_runs_on_its_period_and_never_twice_at_once(echo: EchoSubsystem) -> None:
    runs: list[int] = []
    overlap: list[bool] = []
    running = threading.Event()

    def sweep(c: Coroutine) -> None:
        overlap.append(running.is_set())
        running.set()
        c.yield_(Echo("sweep"))
        runs.append(c.time())
        running.clear()

    system = System([echo], idle_wait_s=30.0)
    system.add_background("sweep", sweep, period_ms=50)
    system.start()
    time.sleep(0.6)
    system.shutdown()
    assert len(runs) >= 3
    assert not any(overlap)
    gaps = [b - a for a, b in itertools.pairwise(runs)]
    assert min(gaps) >= 45


def test_shutdown_drains_in_flight_requests_then_refuses_new_ones(echo: EchoSubsystem) -> None:
    system = System([echo], idle_wait_s=30.0)
    system.add_on_request(Shout, shout)
    system.start()
    echo.release.clear()  # hold the AIO so the request is in flight
    in_flight = system.submit(Shout("late"))
    time.sleep(0.1)
    stopper = threading.Thread(target=system.shutdown)
    stopper.start()
    time.sleep(0.1)
    with pytest.raises(ShuttingDown):
        system.submit(Shout("refused")).result(timeout=5)
    echo.release.set()
    stopper.join(timeout=5)
    assert in_flight.result(timeout=5) == "LATE"


def test_a_signal_runs_a_background_job_soon_and_again_if_it_is_running(echo: EchoSubsystem) -> None:
    runs: list[int] = []

    def job(c: Coroutine) -> None:
        runs.append(c.time())

    def poke(c: Coroutine, request: Shout) -> str:
        c.signal("job")
        return "poked"

    system = System([echo], idle_wait_s=30.0)
    system.add_background("job", job, period_ms=60_000)
    system.add_on_request(Shout, poke)
    system.start()
    try:
        time.sleep(0.1)
        assert len(runs) == 1  # the first run, at start
        assert system.submit(Shout("x")).result(timeout=5) == "poked"
        time.sleep(0.2)
        assert len(runs) == 2  # not a minute later: the signal brought it forward
    finally:
        system.shutdown()


def test_a_full_request_queue_answers_overloaded_at_once(echo: EchoSubsystem) -> None:
    system = System([echo], idle_wait_s=30.0, max_queued_requests=2, max_coroutines=1)
    system.add_on_request(Shout, shout)
    echo.release.clear()  # hold the AIO: the first request stays in flight
    system.start()
    try:
        first = system.submit(Shout("first"))
        wait_for(lambda: system.scheduler.in_flight == 1)
        queued = [system.submit(Shout(f"q{n}")) for n in range(2)]  # the coroutine bound holds them
        started = time.monotonic()
        with pytest.raises(Overloaded):
            system.submit(Shout("over")).result(timeout=5)
        assert time.monotonic() - started < 1  # an answer, not a wait
        echo.release.set()
        assert first.result(timeout=5) == "FIRST"
        assert [q.result(timeout=5) for q in queued] == ["Q0", "Q1"]
    finally:
        system.shutdown()


def test_an_abandoned_requests_coroutine_stops_at_its_next_yield(echo: EchoSubsystem) -> None:
    steps: list[int] = []

    def long_scan(c: Coroutine, request: Shout) -> None:
        for step in range(1000):
            steps.append(step)
            _reply, error = c.yield_(Echo("slice"))
            if error is not None:
                raise error

    system = System([echo], idle_wait_s=30.0)
    system.add_on_request(Shout, long_scan)
    system.start()
    try:
        echo.release.clear()
        completion = system.submit(Shout("scan"))
        wait_for(lambda: len(steps) == 1)
        completion.abandon()  # the view timed out and answered 503
        echo.release.set()
        wait_for(lambda: system.scheduler.in_flight == 0)
        assert len(steps) == 1  # it did not run on after its waiter left
        with pytest.raises(Cancelled):
            completion.result(timeout=1)
    finally:
        system.shutdown()


def test_signalling_an_unknown_job_is_an_error(system: System) -> None:
    def poke(c: Coroutine, request: Shout) -> str:
        c.signal("no such job")
        return "poked"

    system.add_on_request(Shout, poke)
    with pytest.raises(LookupError):
        system.submit(Shout("x")).result(timeout=5)


def wait_for(condition: Any, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)
