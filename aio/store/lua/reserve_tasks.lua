-- ARGV: now, limit, send window ms
-- Picks INIT tasks, oldest first, at most one invoke/resume per root and none for a
-- root that has a task enqueued, claimed or being sent; marks each as being sent until
-- now + window. Due tasks are timed out instead. Notify tasks never hold a root.
-- Returns {task hash, notify promise hash or false, ...}.
local now, limit, window = unpack(ARGV)
limit = tonumber(limit)

local function root_busy(root, except)
  for _, other in ipairs(redis.call('SMEMBERS', K_TASKS_OF_ROOT .. root)) do
    if other ~= except then
      local state, kind, sending = unpack(redis.call('HMGET', K_TASK .. other, 'state', 'type', 'sending_until'))
      if kind ~= 'notify' then
        if state == 'ENQUEUED' or state == 'CLAIMED' then return true end
        if state == 'INIT' and sending and tonumber(sending) > tonumber(now) then return true end
      end
    end
  end
  return false
end

local out = {}
local taken = 0
local chosen_roots = {}
for _, tid in ipairs(redis.call('ZRANGE', K_TASKS_INIT, 0, 999)) do
  if taken >= limit then break end
  local state, kind, root, timeout, sending = unpack(redis.call('HMGET', K_TASK .. tid,
    'state', 'type', 'root', 'timeout', 'sending_until'))
  local free = state == 'INIT' and not (sending and tonumber(sending) > tonumber(now))
  if free and kind ~= 'notify' then
    free = not chosen_roots[root] and not root_busy(root, tid)
  end
  if free then
    if is_due(timeout, now) then
      update_task(tid, {'state', 'TIMEDOUT', 'completed', timeout}, {'sending_until'})
    else
      if kind ~= 'notify' then chosen_roots[root] = true end
      redis.call('HSET', K_TASK .. tid, 'sending_until', add_ms(now, window))
      out[#out + 1] = redis.call('HGETALL', K_TASK .. tid)
      local promise = false
      if kind == 'notify' and redis.call('EXISTS', K_PROMISE .. root) == 1 then
        promise = redis.call('HGETALL', K_PROMISE .. root)
      end
      out[#out + 1] = promise
      taken = taken + 1
    end
  end
end
return out
