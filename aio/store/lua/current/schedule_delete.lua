-- schedule.delete: 1 when it existed. Promises it fired stay.
redis.call('ZREM', C_SCHEDULES, id)
redis.call('ZREM', C_SCHEDULES_DUE, id)
return redis.call('DEL', C_SCHEDULE .. id)
