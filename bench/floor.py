"""The floor: the least a Flask + gunicorn + Redis server can do per request.

POST /promises parses the JSON, runs one atomic Lua create-if-absent and replies;
GET /promises/<id> is one HGETALL; PATCH /promises/<id> one Lua complete-if-pending.
No validation, no kernel, no indexes, no timeouts. bench/compare.py runs it under the
same gunicorn settings as our server (gthread, same worker and thread counts) on a
Redis of its own:

    FLOOR_REDIS_URL=unix:///path/redis.sock gunicorn -k gthread -w 2 --threads 32 bench.floor:app
"""

from __future__ import annotations

import os
import time

import orjson
import redis
from flask import Flask, Response, request

CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'PENDING', 'param', ARGV[2], 'timeout', ARGV[3],
  'created', ARGV[4])
return 1
"""
COMPLETE = """
if redis.call('HGET', KEYS[1], 'state') ~= 'PENDING' then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'value', ARGV[2], 'completed', ARGV[3])
return 1
"""

app = Flask("floor")
_client = redis.Redis.from_url(os.environ.get("FLOOR_REDIS_URL", "redis://localhost:6379"), decode_responses=True)
_create = _client.register_script(CREATE)
_complete = _client.register_script(COMPLETE)


def _json(body: object, status: int) -> Response:
    return Response(orjson.dumps(body), status=status, content_type="application/json")


@app.post("/promises")
def create() -> Response:
    body = orjson.loads(request.get_data())
    now = time.time_ns() // 1_000_000
    param = orjson.dumps(body.get("param") or {}).decode()
    created = _create(keys=[f"floor:{body['id']}"], args=[body["id"], param, body.get("timeout", 0), now])
    promise = {
        "id": body["id"],
        "state": "PENDING",
        "param": body.get("param") or {},
        "value": {},
        "timeout": body.get("timeout", 0),
        "createdOn": now,
    }
    return _json(promise, 201 if created else 409)


@app.get("/promises/<path:promise_id>")
def read(promise_id: str) -> Response:
    stored = _client.hgetall(f"floor:{promise_id}")
    return _json(stored, 200) if stored else _json({"error": "not found"}, 404)


@app.patch("/promises/<path:promise_id>")
def complete(promise_id: str) -> Response:
    body = orjson.loads(request.get_data())
    value = orjson.dumps(body.get("value") or {}).decode()
    now = time.time_ns() // 1_000_000
    done = _complete(keys=[f"floor:{promise_id}"], args=[body["state"], value, now])
    return _json({"id": promise_id, "state": body["state"]}, 201 if done else 403)


@app.post("/")
def envelope_create() -> Response:
    """The current protocol's promise.create at its least: the envelope in, one Lua
    create-if-absent, the envelope out."""
    envelope = orjson.loads(request.get_data())
    data = envelope["data"]
    now = time.time_ns() // 1_000_000
    param = orjson.dumps(data.get("param") or {}).decode()
    _create(keys=[f"floor:{data['id']}"], args=[data["id"], param, data.get("timeoutAt", 0), now])
    promise = {
        "id": data["id"],
        "state": "pending",
        "param": data.get("param") or {},
        "value": {},
        "tags": data.get("tags") or {},
        "timeoutAt": data.get("timeoutAt", 0),
        "createdAt": now,
    }
    head = {"corrId": envelope["head"]["corrId"], "status": 200, "version": "2026-04-01"}
    return _json({"kind": envelope["kind"], "head": head, "data": {"promise": promise}}, 200)
