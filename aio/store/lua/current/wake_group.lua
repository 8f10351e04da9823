-- A stream of the group connected: up to limit tasks waiting for it get their execute
-- now instead of at their next retry. Returns the number woken.
local woken = 0
for _, id in ipairs(redis.call('SPOP', C_WAITING .. group, tonumber(limit))) do
  if task_state(id) == 'pending' then
    to_pending(id, now, retry)
    woken = woken + 1
  end
end
return woken
