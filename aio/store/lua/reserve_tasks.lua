-- Arguments: now, lane (poll|http), limit, sending_until
-- Takes up to `limit` tasks of the lane whose ready time has come, oldest first: the
-- ready set holds one invoke/resume per root without a message in flight, and every
-- waiting notify. Each is held until sending_until (its score moves there), so no
-- other server process sends it meanwhile; a due one is timed out instead.
-- Returns {task hash, notify promise hash or false, ...}.
local out = {}
for _, tid in ipairs(redis.call('ZRANGEBYSCORE', K_TASKS_READY .. lane, '-inf', now, 'LIMIT', 0, limit)) do
  local state, kind, root, timeout = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'type', 'root', 'timeout'))
  if state ~= 'INIT' then
    redis.call('ZREM', K_TASKS_READY .. lane, tid)  -- not reachable through update_task
  elseif is_due(timeout, now) then
    update_task(tid, {'state', 'TIMEDOUT', 'completed', timeout}, {'sending_until'})
  else
    update_task(tid, {'sending_until', sending_until}, {})
    out[#out + 1] = redis.call('HGETALL', K_TASK .. tid)
    local promise = false
    if kind == 'notify' and redis.call('EXISTS', K_PROMISE .. root) == 1 then
      promise = redis.call('HGETALL', K_PROMISE .. root)
    end
    out[#out + 1] = promise
  end
end
return out
