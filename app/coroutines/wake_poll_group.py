"""streamConnected: a poll stream joined its group, so the tasks that failed to reach
that group wait no longer: they are made ready and the enqueue job runs at once. A
worker that starts after its work was created gets it within moments, whatever the
backoff its tasks had reached."""

from __future__ import annotations

from app.coroutines.jobs import Job
from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import WakePollGroup
from kernel.t_api import Response, Status, StreamConnectedRequest

WAKE_LIMIT = 1000  # tasks woken per connection; the rest keep their backoff


def stream_connected(c: Coroutine, req: StreamConnectedRequest) -> Response:
    if run_one(c, WakePollGroup(req.group, c.time(), WAKE_LIMIT)):
        c.signal(Job.ENQUEUE_TASKS)
    return Response(Status.OK)
