-- task.create (§2.9): create the targeted promise with its task acquired by the caller,
-- or acquire the pending task of an existing one. Returns {200, task, promise, preload,
-- 1 when the promise is new},
-- {409} when someone else holds it, {422} for a promise without a task.
touch(id, now, retry)
local record, created = create_promise(id, timeout, param, tags, target, branch, timer, '', external, now, now, retry, false)
local state = task_state(id)
if not state then return {422} end
local new = 0
if created then new = 1 end
if state == 'pending' then
  acquire(id, pid, ttl, now)
  return {200, read_task(id), read_promise(id), preload(id, max_preload), new}
end
if state == 'fulfilled' then return {200, read_task(id), record, {}, new} end
return {409}
