-- Arguments: pid, now.  Extends each lock of the process by its own ttl.
local affected = 0
for _, rid in ipairs(redis.call('SMEMBERS', K_LOCKS_OF_PROCESS .. pid)) do
  local key = K_LOCK .. rid
  local holder, ttl = unpack(redis.call('HMGET', key, 'process_id', 'ttl'))
  if holder == pid then
    local expires_at = add_ms(now, ttl)
    redis.call('HSET', key, 'expires_at', expires_at)
    redis.call('ZADD', K_LOCK_EXPIRIES, expires_at, rid)
    affected = affected + 1
  else
    redis.call('SREM', K_LOCKS_OF_PROCESS .. pid, rid)
  end
end
return affected
