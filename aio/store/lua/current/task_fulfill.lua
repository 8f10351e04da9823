-- task.fulfill (§2.12): settle the task's own promise; the chain fulfills the task.
touch(id, now, retry)
local task = task_state(id)
if not task then return {404} end
if task ~= 'acquired' or redis.call('HGET', kt(id), 'version') ~= version then return {409} end
return {200, settle_promise(id, state, value, now, retry)}
