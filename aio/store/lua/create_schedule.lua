-- ARGV: id, desc, cron, tags_json, promise id template, promise timeout, promise param,
--       promise tags json, next run time, has_ikey, ikey, now
-- Returns {1} when inserted, or {0, stored hash}.
local id, desc, cron, tags, promise_id, promise_timeout, promise_param, promise_tags,
  next_run, has_ikey, ikey, now = unpack(ARGV)
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
return {1}
