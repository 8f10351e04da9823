-- task.halt (§2.16): stop a task where it is; its callbacks stay.
touch(id, now, retry)
local state = task_state(id)
if not state then return {404} end
if state == 'fulfilled' then return {409} end
if state ~= 'halted' then
  set_task_state(id, state, 'halted')
  redis.call('HDEL', kt(id), 'pid', 'ttl')
  redis.call('ZREM', C_TASK_TIMERS, id)
end
return {200}
