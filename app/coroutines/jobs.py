"""The background jobs, by name: what a coroutine may signal to run soon."""

from __future__ import annotations

import enum


class Job(enum.Enum):
    TIMEOUT_PROMISES = "timeoutPromises"
    ENQUEUE_TASKS = "enqueueTasks"
    TIMEOUT_TASKS = "timeoutTasks"
    SCHEDULE_PROMISES = "schedulePromises"
    TIMEOUT_LOCKS = "timeoutLocks"
    EXPIRE_RECORDS = "expireRecords"
    # the current protocol
    SEND_MESSAGES = "sendMessages"
    TIMEOUT_CURRENT_PROMISES = "timeoutCurrentPromises"
    FIRE_TASK_TIMERS = "fireTaskTimers"
    FIRE_SCHEDULES = "fireSchedules"
