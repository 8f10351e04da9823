-- Active timeouts (§4.4): settle up to limit targeted promises past their deadline, in
-- three steps over all of them (settle, fulfill their tasks, resume and notify), so a
-- task whose own promise expired in this pass is fulfilled, not resumed. Returns the
-- number settled.
local due = redis.call('ZRANGEBYSCORE', C_TIMEOUTS, '-inf', now, 'LIMIT', 0, tonumber(limit))
local settled = {}
for _, id in ipairs(due) do
  local state, timeout = unpack(redis.call('HMGET', kp(id), 'state', 'timeout'))
  if state == 'pending' then
    mark_settled(id, timeout_state(id), '{}', timeout)
    settled[#settled + 1] = id
  else
    redis.call('ZREM', C_TIMEOUTS, id)
  end
end
for _, id in ipairs(settled) do fulfill_task(id) end
for _, id in ipairs(settled) do resume_and_notify(id, now, retry) end
return #due
