-- Arguments: now, limit.  Removes up to `limit` locks whose expiry has passed.
local removed = 0
for _, rid in ipairs(redis.call('ZRANGEBYSCORE', K_LOCK_EXPIRIES, '-inf', now, 'LIMIT', 0, limit)) do
  local pid = redis.call('HGET', K_LOCK .. rid, 'process_id')
  redis.call('DEL', K_LOCK .. rid)
  redis.call('ZREM', K_LOCK_EXPIRIES, rid)
  if pid then redis.call('SREM', K_LOCKS_OF_PROCESS .. pid, rid) end
  removed = removed + 1
end
return removed
