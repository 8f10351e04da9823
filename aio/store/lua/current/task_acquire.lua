-- task.acquire (§2.10): a pending task at the given version, acquired at version + 1.
-- Returns {200, task, promise, preload}, {404} or {409, reason}.
touch(id, now, retry)
local state = task_state(id)
if not state then return {404} end
if state ~= 'pending' then return {409, 'state'} end
if redis.call('HGET', kt(id), 'version') ~= version then return {409, 'version'} end
acquire(id, pid, ttl, now)
return {200, read_task(id), read_promise(id), preload(id, max_preload)}
