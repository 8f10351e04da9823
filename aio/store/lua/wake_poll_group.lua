-- Arguments: group, now, limit.  A stream of the group has connected: up to `limit`
-- tasks whose send failed for want of one are ready now instead of after their
-- backoff (those sent, claimed or reserved meanwhile are left as they are).
-- Returns how many it woke.
local woken = 0
for _, tid in ipairs(redis.call('SPOP', K_POLL_WAITING .. group, limit)) do
  local state, sending = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'sending_until'))
  if state == 'INIT' and not (sending and tonumber(sending) > tonumber(now)) then
    update_task(tid, {'ready_at', 0}, {})
    woken = woken + 1
  end
end
return woken
