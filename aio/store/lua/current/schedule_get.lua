-- schedule.get: the schedule's fields, or an empty list.
return redis.call('HGETALL', C_SCHEDULE .. id)
