-- task.fence (§2.14): run a promise create or settle only while the task is acquired
-- at this version. Returns {200, inner status, promise or '', preload, 1 when created},
-- {404} or {409}.
touch(id, now, retry)
touch(action_id, now, retry)
local state = task_state(id)
if not state then return {404} end
if state ~= 'acquired' or redis.call('HGET', kt(id), 'version') ~= version then return {409} end
local record, created
if action == 'create' then
  record, created = create_promise(action_id, timeout, param, tags, target, branch, timer, delay, external, now, now, retry, true)
else
  record = settle_promise(action_id, settle_state, value, now, retry)
end
if not record then return {200, 404, '', preload(id, max_preload), 0} end
if created then return {200, 200, record, preload(id, max_preload), 1} end
return {200, 200, record, preload(id, max_preload), 0}
