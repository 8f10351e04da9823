-- Task timers (§4.6 rows 5 and 11): a pending task's retry sends its execute again; an
-- acquired task whose lease lapsed is pending again. Returns the number fired.
local due = redis.call('ZRANGEBYSCORE', C_TASK_TIMERS, '-inf', now, 'LIMIT', 0, tonumber(limit))
for _, id in ipairs(due) do
  local state = task_state(id)
  if state == 'pending' or state == 'acquired' then
    to_pending(id, now, retry)
  else
    redis.call('ZREM', C_TASK_TIMERS, id)
  end
end
return #due
