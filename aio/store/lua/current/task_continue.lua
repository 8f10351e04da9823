-- task.continue (§2.16): a halted task is pending again, with an execute now.
touch(id, now, retry)
local state = task_state(id)
if not state then return {404} end
if state ~= 'halted' then return {409} end
to_pending(id, now, retry)
return {200}
