-- Arguments: id, desc, cron, tags, promise_id (template), promise_timeout, promise_param,
--   promise_tags, next_run, has_ikey, ikey, now
-- Returns {1, stored hash} when inserted, or {0, stored hash}.
local key = K_SCHEDULE .. id
if redis.call('EXISTS', key) == 1 then return {0, redis.call('HGETALL', key)} end
local sort = redis.call('INCR', K_SCHEDULE_SEQ)
redis.call('HSET', key, 'id', id, 'desc', desc, 'cron', cron, 'promise_id', promise_id,
  'promise_timeout', promise_timeout, 'promise_param', promise_param, 'next_run', next_run,
  'created', now, 'sort', sort)
if tags ~= '' then redis.call('HSET', key, 'tags', tags) end
if promise_tags ~= '' then redis.call('HSET', key, 'promise_tags', promise_tags) end
if has_ikey == '1' then redis.call('HSET', key, 'ikey', ikey) end
redis.call('ZADD', K_SCHEDULES_ALL, sort, id)
redis.call('ZADD', K_SCHEDULES_DUE, next_run, id)
return {1, redis.call('HGETALL', key)}
