-- task.suspend (§2.13): wait for the awaited promises, or redirect (300) with the
-- preload when one is settled already. awaited: a JSON array of distinct ids.
local ids = cjson.decode(awaited)
touch(id, now, retry)
for _, other in ipairs(ids) do touch(other, now, retry) end
local state = task_state(id)
if not state then return {404} end
if state ~= 'acquired' or redis.call('HGET', kt(id), 'version') ~= version then return {409} end
local settled = false
for _, other in ipairs(ids) do
  local other_state = promise_state(other)
  if not other_state then return {422} end
  if other_state ~= 'pending' then settled = true end
end
if settled then
  redis.call('HSET', kt(id), 'resumes', 0)
  return {300, preload(id, max_preload)}
end
for _, stale in ipairs(redis.call('SMEMBERS', kaw(id))) do
  redis.call('SREM', kcb(stale), id)
end
redis.call('DEL', kaw(id))
for _, other in ipairs(ids) do
  redis.call('SADD', kcb(other), id)
  redis.call('SADD', kaw(id), other)
end
set_task_state(id, state, 'suspended')
redis.call('HSET', kt(id), 'resumes', 0)
redis.call('HDEL', kt(id), 'pid', 'ttl')
redis.call('ZREM', C_TASK_TIMERS, id)
return {200}
