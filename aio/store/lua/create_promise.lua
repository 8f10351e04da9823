-- ARGV: id, param, timeout, has_ikey, ikey, tags_json, timeout_resolves, now,
--       task_recv ('' = no task), task_pid ('' = INIT task), task_ttl, task_expires_at
-- Returns {1, sort_id, task id or ''} when inserted, or {0, stored hash} (timed out
-- first if due). The task is inserted only with a new promise.
local id, param, timeout, has_ikey, ikey, tags, resolves, now,
  task_recv, task_pid, task_ttl, task_expires_at = unpack(ARGV)
if settle_state(id, now) then
  return {0, redis.call('HGETALL', K_PROMISE .. id)}
end
if has_ikey ~= '1' then ikey = false end
local sort = insert_promise(id, param, timeout, ikey, tags, resolves, now)
local tid = ''
if task_recv ~= '' then
  local pid = false
  if task_pid ~= '' then pid = task_pid end
  tid = new_task('invoke', id, id, task_recv, timeout, now, pid, task_ttl, task_expires_at)
end
return {1, sort, tid}
