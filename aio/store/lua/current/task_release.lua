-- task.release (§2.11): back to pending, same version, execute queued now.
touch(id, now, retry)
local state = task_state(id)
if not state then return {404} end
if state ~= 'acquired' or redis.call('HGET', kt(id), 'version') ~= version then return {409} end
to_pending(id, now, retry)
return {200}
