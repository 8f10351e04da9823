"""One coroutine per kind of the current protocol, and its background jobs."""
