-- ARGV: schedule id, slot (its next run time as read), following slot, then the
--       arguments of create_promise.lua (a slot's promise has no key, its task no claim)
-- Exactly once per slot: only if the schedule still has this slot does it create the
-- promise (if the id is free, with its router task) and advance to the next slot.
-- Returns 1 if this call fired the slot, 0 if another did (or the schedule is gone).
local schedule_id, slot, following, id, param, timeout, _, _, tags, resolves, now, task_recv = unpack(ARGV)
if redis.call('HGET', K_SCHEDULE .. schedule_id, 'next_run') ~= slot then return 0 end
if redis.call('EXISTS', K_PROMISE .. id) == 0 then
  insert_promise(id, param, timeout, false, tags, resolves, now)
  if task_recv ~= '' then new_task('invoke', id, id, task_recv, timeout, now) end
end
redis.call('HSET', K_SCHEDULE .. schedule_id, 'last_run', slot, 'next_run', following)
redis.call('ZADD', K_SCHEDULES_DUE, following, schedule_id)
return 1
