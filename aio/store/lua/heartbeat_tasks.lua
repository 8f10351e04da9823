-- Arguments: pid, now.  Extends each claimed task of the process by its own ttl.
local affected = 0
for _, tid in ipairs(redis.call('SMEMBERS', K_TASKS_OF_PROCESS .. pid)) do
  local state, holder, ttl = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'process_id', 'ttl'))
  if state == 'CLAIMED' and holder == pid then
    update_task(tid, {'expires_at', add_ms(now, ttl)})
    affected = affected + 1
  else
    redis.call('SREM', K_TASKS_OF_PROCESS .. pid, tid)
  end
end
return affected
