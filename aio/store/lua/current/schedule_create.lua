-- schedule.create (§7.1): create if absent. Returns the stored schedule's fields.
local key = C_SCHEDULE .. id
if redis.call('EXISTS', key) == 0 then
  redis.call('HSET', key, 'id', id, 'cron', cron, 'promise_id', promise_id, 'promise_timeout', promise_timeout,
    'promise_param', promise_param, 'promise_tags', promise_tags, 'created', now, 'next', next_run)
  redis.call('ZADD', C_SCHEDULES, 0, id)
  redis.call('ZADD', C_SCHEDULES_DUE, next_run, id)
end
return redis.call('HGETALL', key)
