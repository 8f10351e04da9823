"""The scheduler: resumes runnable coroutines and routes what they yield.

A yielded submission goes to the AIO through `submit` with a callback that makes the
coroutine runnable again; Spawn and Await markers are handled here.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from kernel.bus import CQE, SQE
from kernel.coroutine import Await, Coroutine, Signal, Spawn
from kernel.errors import Cancelled, KernelError

log = logging.getLogger(__name__)

OnDone = Callable[[Any, BaseException | None], None]


class Scheduler:
    def __init__(
        self,
        clock: Callable[[], int],
        submit: Callable[[SQE], None],
        on_signal: Callable[[Hashable], None] = lambda name: None,
    ) -> None:
        self._clock = clock
        self._submit = submit
        self._on_signal = on_signal
        self._runnable: deque[tuple[Coroutine, Any, BaseException | None]] = deque()
        self._on_done: dict[Coroutine, OnDone] = {}
        self._waiters: dict[Coroutine, list[Coroutine]] = {}
        self.in_flight = 0

    def add(self, coroutine: Coroutine, on_done: OnDone | None = None) -> None:
        """Make a new coroutine runnable; on_done receives its (result, error)."""
        coroutine.bind_clock(self._clock)
        if on_done is not None:
            self._on_done[coroutine] = on_done
        self.in_flight += 1
        self._runnable.append((coroutine, None, None))

    def tick(self, completions: list[CQE]) -> None:
        """Run completion callbacks, then resume everything runnable until quiet."""
        for cqe in completions:
            cqe.run_callback()
        runnable = self._runnable
        while runnable:
            coroutine, value, error = runnable.popleft()
            self._step(coroutine, value, error)

    @property
    def idle(self) -> bool:
        return self.in_flight == 0

    def _step(self, coroutine: Coroutine, value: Any, error: BaseException | None) -> None:
        if error is None and coroutine.abandoned is not None and coroutine.abandoned():
            error = Cancelled()  # raised at the yield it waits in: nobody wants the result
        try:
            output, done = coroutine.resume(value, error)
        except KernelError as exc:
            log.debug("coroutine %s ended: %s", coroutine.name, exc)
            self._finish(coroutine, None, exc)
            return
        except Exception as exc:  # a coroutine bug must not stop the kernel
            log.exception("coroutine %s failed", coroutine.name)
            self._finish(coroutine, None, exc)
            return
        if done:
            self._finish(coroutine, output, None)
        elif isinstance(output, Spawn):
            self.add(output.child)
            self._runnable.append((coroutine, output.child, None))
        elif isinstance(output, Signal):
            try:
                self._on_signal(output.name)
            except LookupError as exc:
                self._runnable.append((coroutine, None, exc))
            else:
                self._runnable.append((coroutine, None, None))
        elif isinstance(output, Await):
            if output.child.done:
                self._runnable.append((coroutine, output.child.result, output.child.error))
            else:
                self._waiters.setdefault(output.child, []).append(coroutine)
        else:
            self._submit(SQE(output, self._resumer(coroutine)))

    def _resumer(self, coroutine: Coroutine) -> Callable[[Any, BaseException | None], None]:
        def resume_later(completion: Any, error: BaseException | None) -> None:
            self._runnable.append((coroutine, completion, error))

        return resume_later

    def _finish(self, coroutine: Coroutine, result: Any, error: BaseException | None) -> None:
        self.in_flight -= 1
        on_done = self._on_done.pop(coroutine, None)
        if on_done is not None:
            on_done(result, error)
        for waiter in self._waiters.pop(coroutine, ()):
            self._runnable.append((waiter, result, error))
