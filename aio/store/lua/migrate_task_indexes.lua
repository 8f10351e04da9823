-- Arguments: limit.  Moves up to `limit` tasks from the INIT index of earlier versions
-- into the per-root queues and ready sets; returns how many it moved.
local ids = redis.call('ZRANGE', K_TASKS_INIT_V1, 0, tonumber(limit) - 1)
for _, tid in ipairs(ids) do
  redis.call('ZREM', K_TASKS_INIT_V1, tid)
  local recv = redis.call('HGET', K_TASK .. tid, 'recv')
  if recv then
    redis.call('HSET', K_TASK .. tid, 'lane', task_lane(recv))
    redis.call('HSETNX', K_TASK .. tid, 'ready_at', 0)
    update_task(tid, {}, {'sending_until'})
  end
end
return #ids
