-- task.heartbeat (§2.15): renew the leases of the tasks this pid holds at these
-- versions; the others are ignored. tasks: JSON [[id, version], ...]. No lazy timeouts.
local renewed = 0
for _, entry in ipairs(cjson.decode(tasks)) do
  local id, version = entry[1], entry[2]
  local state, stored, holder, ttl = unpack(redis.call('HMGET', kt(id), 'state', 'version', 'pid', 'ttl'))
  if state == 'acquired' and stored == version and holder == pid and promise_state(id) == 'pending' then
    redis.call('ZADD', C_TASK_TIMERS, add_ms(now, ttl), id)
    renewed = renewed + 1
  end
end
return renewed
