-- Arguments: now, limit.  Enqueued or claimed tasks whose lease lapsed go back to INIT with
-- counter + 1; those past their own timeout become TIMEDOUT. Returns how many changed.
local changed = 0
for _, tid in ipairs(redis.call('ZRANGEBYSCORE', K_TASK_LEASES, '-inf', now, 'LIMIT', 0, limit)) do
  local state, counter, timeout = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'counter', 'timeout'))
  if state == 'ENQUEUED' or state == 'CLAIMED' then
    if is_due(timeout, now) then
      update_task(tid, {'state', 'TIMEDOUT', 'completed', timeout}, {})
    else
      update_task(tid, {'state', 'INIT', 'counter', tonumber(counter) + 1, 'attempt', 0, 'ttl', 0,
        'expires_at', 0}, {'process_id', 'sending_until'})
    end
    changed = changed + 1
  else
    redis.call('ZREM', K_TASK_LEASES, tid)
  end
end
return changed
