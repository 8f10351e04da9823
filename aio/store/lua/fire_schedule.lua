-- Arguments: schedule_id, slot (its next run time as read), following, then those of
--   create_promise.lua (a slot's promise has no key, its task no claim)
-- Exactly once per slot: only if the schedule still has this slot does it create the
-- promise (if the id is free, with its router task) and advance to the next slot.
-- Returns 1 if this call fired the slot, 0 if another did (or the schedule is gone).
if redis.call('HGET', K_SCHEDULE .. schedule_id, 'next_run') ~= slot then return 0 end
if redis.call('EXISTS', K_PROMISE .. id) == 0 then
  insert_promise(id, param, timeout, false, tags, timeout_resolves, now)
  if task_recv ~= '' then new_task('invoke', id, id, task_recv, timeout, now) end
end
redis.call('HSET', K_SCHEDULE .. schedule_id, 'last_run', slot, 'next_run', following)
redis.call('ZADD', K_SCHEDULES_DUE, following, schedule_id)
return 1
