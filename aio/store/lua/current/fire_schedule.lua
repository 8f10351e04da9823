-- Fire one run of a schedule (§7.3), once: only if its next run is still `at` (another
-- process may have fired it). Creates the promise if absent, then moves the schedule on.
local key = C_SCHEDULE .. schedule_id
if redis.call('HGET', key, 'next') ~= at then return 0 end
create_promise(id, timeout, param, tags, target, branch, timer, delay, external, at, now, retry, true)
redis.call('HSET', key, 'last', at, 'next', next_run)
redis.call('ZADD', C_SCHEDULES_DUE, next_run, schedule_id)
return 1
