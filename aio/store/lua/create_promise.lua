-- Arguments: id, param, timeout, has_ikey, ikey, tags, timeout_resolves, now,
--   task_recv ('' = no task), task_pid ('' = INIT task), task_ttl, task_expires_at
-- Returns {1, promise hash, task hash or false} when inserted, or {0, stored hash}
-- (timed out first if due). The task is inserted only with a new promise.
if settle_state(id, now) then
  return {0, redis.call('HGETALL', K_PROMISE .. id)}
end
if has_ikey ~= '1' then ikey = false end
insert_promise(id, param, timeout, ikey, tags, timeout_resolves, now)
local task = false
if task_recv ~= '' then
  local pid = false
  if task_pid ~= '' then pid = task_pid end
  local tid = new_task('invoke', id, id, task_recv, timeout, now, pid, task_ttl, task_expires_at)
  task = redis.call('HGETALL', K_TASK .. tid)
end
return {1, redis.call('HGETALL', K_PROMISE .. id), task}
