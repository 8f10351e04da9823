"""Which server process holds which poll stream, kept in Redis, and delivery across
processes through one pub/sub channel per process.

Each (group, id) stream has an owner key naming the process that holds it, renewed
while the stream lives and removed when it ends; the group's members are a sorted set
by registration expiry. A message for a stream held elsewhere is published on the
owner's channel; PUBLISH reports whether that process is listening.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from typing import Any

import orjson
import redis

from aio.poll.connections import Connection, LocalConnections
from aio.store.keys import key
from kernel.supervise import join_all, start_thread

log = logging.getLogger(__name__)

# KEYS: owner key, group key. ARGV: token, member id, ttl ms, expiry (ms epoch).
# Takes or renews ownership unless another process holds the stream now.
_CLAIM = """
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
return 1
"""
# Takes ownership whoever held it (a new stream replaces the old one); returns the
# previous owner, or false.
_TAKE = """
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
return previous
"""
# Gives up ownership only if this process still holds it.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class PollDirectory:
    def __init__(
        self,
        client: redis.Redis,
        prefix: str,
        local: LocalConnections,
        registration_ttl_ms: int = 15_000,
        namespace: str = "K",
    ) -> None:
        self.token = uuid.uuid4().hex
        self.local = local
        self._client = client
        self._prefix = prefix
        self._ttl_ms = registration_ttl_ms
        self._namespace = namespace  # "K": the legacy poll port's streams; "C": the current /poll
        self._claim = client.register_script(_CLAIM)
        self._take = client.register_script(_TAKE)
        self._release = client.register_script(_RELEASE)
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.subscribed = False  # listening on this process's channel (health)

    # -- keys ---------------------------------------------------------------------

    def _owner_key(self, group: str, member: str) -> str:
        return key(self._prefix, f"{self._namespace}_POLL_OWNER", orjson.dumps([group, member]).decode())

    def _group_key(self, group: str) -> str:
        return key(self._prefix, f"{self._namespace}_POLL_GROUP", group)

    def _channel(self, token: str) -> str:
        return key(self._prefix, f"{self._namespace}_POLL_CHANNEL", token)

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        tag = "poll" if self._namespace == "K" else "current-poll"
        for target, name in ((self._listen, f"{tag}-listen"), (self._renew, f"{tag}-renew")):
            self._threads.append(start_thread(target, name))

    def stop(self) -> None:
        self._stopping.set()
        join_all(self._threads, 1.0)

    # -- streams opening and closing ------------------------------------------------

    def register(self, connection: Connection) -> None:
        """Own the stream; a stream it replaces in another process is ended at once."""
        try:
            previous = self._run(self._take, connection)
            if previous and previous != self.token:
                envelope = {"group": connection.group, "id": connection.id, "close": True}
                self._client.publish(self._channel(previous), orjson.dumps(envelope))
        except redis.RedisError as exc:
            log.warning("poll: cannot register %s/%s: %s", connection.group, connection.id, exc)

    def release_all(self, connections: list[Connection]) -> None:
        """Give up every stream of this process at once (shutdown)."""
        try:
            for connection in connections:
                self._run(self._release, connection)
        except redis.RedisError as exc:
            log.warning("poll: cannot release streams: %s", exc)

    def unregister(self, connection: Connection) -> None:
        try:
            self._run(self._release, connection)
        except redis.RedisError as exc:
            log.warning("poll: cannot unregister %s/%s: %s", connection.group, connection.id, exc)

    def _run(self, script: Any, connection: Connection) -> Any:
        keys = [self._owner_key(connection.group, connection.id), self._group_key(connection.group)]
        args = [self.token, connection.id, self._ttl_ms, _now_ms() + self._ttl_ms]
        return script(keys=keys, args=args)

    # -- delivery -------------------------------------------------------------------

    def deliver(self, group: str, member: str | None, body: bytes, exact_only: bool) -> bool:
        """To the stream (group, id) if it is open anywhere; else, unless exact_only,
        to a random open stream of the group. True once a live process has it."""
        try:
            if member is not None and self._deliver_to(group, member, body):
                return True
            if exact_only:
                return False
            return self._deliver_to_group(group, body)
        except redis.RedisError as exc:
            log.info("poll: delivery to %s failed: %s", group, exc)
            return False

    def _deliver_to_group(self, group: str, body: bytes) -> bool:
        group_key = self._group_key(group)
        self._client.zremrangebyscore(group_key, "-inf", _now_ms())
        members = self._client.zrange(group_key, 0, -1)
        random.shuffle(members)
        return any(self._deliver_to(group, member, body) for member in members[:3])

    def _deliver_to(self, group: str, member: str, body: bytes) -> bool:
        owner = self._client.get(self._owner_key(group, member))
        if owner is None:
            return False
        if owner == self.token:
            connection = self.local.get(group, member)
            return connection is not None and connection.offer(body)
        envelope = orjson.dumps({"group": group, "id": member, "body": body.decode()})
        if self._client.publish(self._channel(owner), envelope) > 0:
            return True
        # Nobody listens on the owner's channel: that process is gone.
        self._client.delete(self._owner_key(group, member))
        self._client.zrem(self._group_key(group), member)
        return False

    # -- background threads ---------------------------------------------------------

    def _listen(self) -> None:
        """Hand messages published for this process to its local streams."""
        while not self._stopping.is_set():
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self._channel(self.token))
                self.subscribed = True
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None:
                        self._hand_over(message["data"])
            except (redis.RedisError, UnicodeDecodeError) as exc:  # the latter: bytes that are not text
                self.subscribed = False
                log.info("poll: subscription lost (%s), retrying", exc)
                self._stopping.wait(1.0)
            finally:
                pubsub.close()
        self.subscribed = False

    def _hand_over(self, envelope: str | bytes) -> None:
        try:
            message = orjson.loads(envelope)
            group, member = message["group"], message["id"]
            body = None if message.get("close") else message["body"].encode()
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            log.warning("poll: ignored a malformed message on this process's channel: %.200r", envelope)
            return
        connection = self.local.get(group, member)
        if connection is None:
            return
        if body is None:
            self.local.close(connection)  # replaced by a stream in another process
        else:
            connection.offer(body)

    def _renew(self) -> None:
        """Keep this process's registrations alive; close streams another process took."""
        while not self._stopping.wait(self._ttl_ms / 3000):
            for connection in self.local.all():
                try:
                    if not self._run(self._claim, connection):
                        self.local.close(connection)
                except redis.RedisError:
                    break
