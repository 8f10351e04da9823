-- Arguments: id.  Deletes the schedule (not the promises it made); returns 1, or 0 if absent.
if redis.call('DEL', K_SCHEDULE .. id) == 0 then return 0 end
redis.call('ZREM', K_SCHEDULES_ALL, id)
redis.call('ZREM', K_SCHEDULES_DUE, id)
return 1
