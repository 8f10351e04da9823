"""The control plane: one event loop per server process.

Terms used throughout:
- SQE (submission queue entry): a request or a submission, plus the callback that
  receives its result.
- CQE (completion queue entry): the result of an SQE, plus that same callback.
- tick: one pass of the loop: run finished CQE callbacks, start coroutines for new
  requests and due background work, resume every runnable coroutine.

Nothing here imports Flask or Redis: the API (app/) and the AIO (aio/) plug in.
"""
