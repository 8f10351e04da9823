"""The System: the kernel thread's loop, request routing and background work.

Requests arrive on the API submission queue, each becoming the coroutine registered for
its kind; submissions that coroutines yield in one tick are handed to the AIO together,
one batch per kind; completions come back on the AIO completion queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol

from kernel.bus import CQE, SQE, Completion, Doorbell, RingingQueue
from kernel.coroutine import Coroutine
from kernel.errors import Overloaded, ShuttingDown
from kernel.scheduler import Scheduler
from kernel.supervise import start_thread

log = logging.getLogger(__name__)


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Subsystem(Protocol):
    """An AIO subsystem: executes submissions of one kind off the kernel thread."""

    kind: str

    def start(self, completions: RingingQueue[CQE]) -> None: ...

    def enqueue(self, batch: list[SQE]) -> None: ...

    def stop(self) -> None: ...


@dataclass(slots=True)
class _Background:
    name: Hashable
    body: Callable[..., Any]
    period_ms: int
    next_due: int = 0
    running: bool = False
    rerun: bool = False  # signalled while running: run again as soon as it ends


class System:
    def __init__(
        self,
        subsystems: list[Subsystem],
        clock: Callable[[], int] = wall_clock_ms,
        idle_wait_s: float = 1.0,
        max_queued_requests: int = 1000,
        max_coroutines: int = 1000,
    ) -> None:
        self.clock = clock
        self.doorbell = Doorbell()
        self.api_queue: RingingQueue[SQE] = RingingQueue(self.doorbell)
        self.completions: RingingQueue[CQE] = RingingQueue(self.doorbell)
        self.scheduler = Scheduler(clock, self._collect_submission, self._signal)
        self._subsystems = {s.kind: s for s in subsystems}
        self._handlers: dict[type, Callable[..., Any]] = {}
        self._background: dict[Hashable, _Background] = {}
        self._max_queued = max_queued_requests
        self._max_coroutines = max_coroutines
        self._pending: dict[str, list[SQE]] = {}
        self._idle_wait_s = idle_wait_s
        self._draining = False
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    # -- wiring -------------------------------------------------------------------

    def add_on_request(self, kind: type, body: Callable[..., Any]) -> None:
        """Run `body(c, request)` as a coroutine for every request of this type."""
        self._handlers[kind] = body

    def add_background(self, name: Hashable, body: Callable[..., Any], period_ms: int) -> None:
        """Run `body(c)` every period_ms, never two runs of it at once."""
        self._background[name] = _Background(name, body, period_ms)

    # -- the API side (any thread) --------------------------------------------------

    def submit(self, request: Any) -> Completion:
        """Queue a request for the kernel; the completion gets the coroutine's result.
        A full queue is an answer (Overloaded), not a wait."""
        completion = Completion()
        if self._draining:
            completion.set(None, ShuttingDown())
        elif len(self.api_queue) >= self._max_queued:
            completion.set(None, Overloaded())
        else:
            self.api_queue.put(SQE(request, completion.set, {"completion": completion}))
        return completion

    # -- running --------------------------------------------------------------------

    def start(self) -> None:
        for subsystem in self._subsystems.values():
            subsystem.start(self.completions)
        self._thread = start_thread(self.loop, "kernel")

    @property
    def alive(self) -> bool:
        """The kernel thread runs (a dead one ends the process; this covers the moment
        before, and a kernel never started)."""
        return self._thread is not None and self._thread.is_alive() and not self._draining

    def loop(self) -> None:
        while True:
            self.doorbell.wait(self._seconds_until_due())
            self.tick()
            if self._draining and self.scheduler.idle:
                break
        self._stopped.set()

    def tick(self) -> None:
        now = self.clock()
        # Requests beyond the coroutine bound wait in the (bounded) queue.
        room = self._max_coroutines - self.scheduler.in_flight
        for sqe in self.api_queue.drain(max(room, 0)):
            self._start_request(sqe)
        if not self._draining:
            self._start_due_background(now)
        self.scheduler.tick(self.completions.drain())
        self._flush_submissions()

    @property
    def stopped(self) -> bool:
        return self._draining

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Refuse new requests, let in-flight coroutines finish, then stop the AIO."""
        if self._draining:
            return
        self._draining = True
        self.doorbell.ring()
        if self._thread is not None and self._thread.is_alive() and not self._stopped.wait(timeout_s):
            log.warning("kernel shutdown: %d coroutines still in flight", self.scheduler.in_flight)
        for subsystem in self._subsystems.values():
            subsystem.stop()

    # -- internals ----------------------------------------------------------------

    def _start_request(self, sqe: SQE) -> None:
        if self._draining:
            sqe.callback(None, ShuttingDown())
            return
        body = self._handlers.get(type(sqe.submission))
        if body is None:
            sqe.callback(None, TypeError(f"no coroutine for {type(sqe.submission).__name__}"))
            return
        completion: Completion | None = sqe.metadata.get("completion")
        abandoned = (lambda: completion.abandoned) if completion is not None else None
        self.scheduler.add(Coroutine(body, sqe.submission, abandoned=abandoned), sqe.callback)

    def _start_due_background(self, now: int) -> None:
        for job in self._background.values():
            if job.running or now < job.next_due:
                continue
            job.running = True
            self.scheduler.add(Coroutine(job.body, name=job.name), self._background_done(job))

    def _background_done(self, job: _Background) -> Callable[[Any, BaseException | None], None]:
        def done(result: Any, error: BaseException | None) -> None:
            job.running = False
            job.next_due = 0 if job.rerun else self.clock() + job.period_ms
            job.rerun = False
            if error is not None:
                log.warning("background %s failed: %s", job.name, error)

        return done

    def _signal(self, name: Hashable) -> None:
        job = self._background.get(name)
        if job is None:
            raise LookupError(f"no background job {name!r}")
        if job.running:
            job.rerun = True
        else:
            job.next_due = 0

    def _seconds_until_due(self) -> float:
        if self._draining:
            return 0.05
        now = self.clock()
        waits = [(job.next_due - now) / 1000 for job in self._background.values() if not job.running]
        if self.api_queue and self.scheduler.in_flight < self._max_coroutines:
            return 0.0  # requests held back by the coroutine bound can start now
        return max(0.0, min(waits, default=self._idle_wait_s))

    def _collect_submission(self, sqe: SQE) -> None:
        kind = getattr(sqe.submission, "kind", None)
        if kind not in self._subsystems:
            sqe.callback(None, TypeError(f"no AIO subsystem for {sqe.submission!r}"))
            return
        self._pending.setdefault(kind, []).append(sqe)

    def _flush_submissions(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        for kind, batch in pending.items():
            self._subsystems[kind].enqueue(batch)
