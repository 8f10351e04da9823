-- Arguments: completed_before, limit.  Deletes up to `limit` records of tasks that
-- finished before completed_before; returns how many.
local ids = redis.call('ZRANGEBYSCORE', K_TASKS_FINISHED, '-inf', '(' .. completed_before, 'LIMIT', 0, limit)
for _, tid in ipairs(ids) do
  redis.call('DEL', K_TASK .. tid)
  redis.call('ZREM', K_TASKS_FINISHED, tid)
end
return #ids
