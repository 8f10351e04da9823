-- Arguments: rid, eid, pid, ttl, expires_at
-- Creates the lock, or refreshes it for the execution that holds it. Returns 1, or 0
-- when another execution holds it (even past its expiry, until the sweep removes it).
local key = K_LOCK .. rid
local holder, old_pid = unpack(redis.call('HMGET', key, 'execution_id', 'process_id'))
if holder and holder ~= eid then return 0 end
if old_pid then redis.call('SREM', K_LOCKS_OF_PROCESS .. old_pid, rid) end
redis.call('HSET', key, 'resource_id', rid, 'execution_id', eid, 'process_id', pid, 'ttl', ttl,
  'expires_at', expires_at)
redis.call('ZADD', K_LOCK_EXPIRIES, expires_at, rid)
redis.call('SADD', K_LOCKS_OF_PROCESS .. pid, rid)
return 1
