-- Arguments: schedule_id, slot, not_before.  If the schedule is still at this slot, it is
-- not due again before `not_before` (its slot stays). Returns 1 if moved, 0 otherwise.
if redis.call('HGET', K_SCHEDULE .. schedule_id, 'next_run') ~= slot then return 0 end
redis.call('ZADD', K_SCHEDULES_DUE, not_before, schedule_id)
return 1
