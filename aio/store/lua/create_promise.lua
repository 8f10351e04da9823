-- ARGV: id, param, timeout, has_ikey, ikey, tags_json, timeout_resolves, now,
--       task_recv ('' = no task), task_pid ('' = INIT task), task_ttl, task_expires_at
-- Returns {1, sort_id, task id or ''} when inserted, or {0, stored hash} (timed out
-- first if due). The task is inserted only with a new promise.
local id, param, timeout, has_ikey, ikey, tags, resolves, now,
  task_recv, task_pid, task_ttl, task_expires_at = unpack(ARGV)
local key = K_PROMISE .. id
if settle_state(id, now) then
  return {0, redis.call('HGETALL', key)}
end
local sort = redis.call('INCR', K_PROMISE_SEQ)
redis.call('HSET', key, 'id', id, 'state', 'PENDING', 'param', param, 'value', '{}',
  'timeout', timeout, 'created', now, 'sort', sort)
if has_ikey == '1' then redis.call('HSET', key, 'ikey_create', ikey) end
if tags ~= '' then redis.call('HSET', key, 'tags', tags) end
if resolves == '1' then redis.call('HSET', key, 'timeout_resolves', '1') end
redis.call('ZADD', K_PROMISES_ALL, sort, id)
redis.call('ZADD', K_PROMISES_IN .. 'pending', sort, id)
redis.call('ZADD', K_PROMISE_TIMEOUTS, timeout, id)
local tid = ''
if task_recv ~= '' then
  local pid = false
  if task_pid ~= '' then pid = task_pid end
  tid = new_task('invoke', id, id, task_recv, timeout, now, pid, task_ttl, task_expires_at)
end
return {1, sort, tid}
