-- ARGV: id, param, timeout, has_ikey, ikey, tags_json, timeout_resolves, now
-- Returns {1, sort_id} when inserted, or {0, stored hash} (timed out first if due).
local id, param, timeout, has_ikey, ikey, tags, resolves, now = unpack(ARGV)
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
return {1, sort}
