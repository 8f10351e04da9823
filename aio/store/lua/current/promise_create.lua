-- promise.create (§2.3, §4.2): idempotent by id. Returns {200, promise, 1 when new}.
local record, created = create_promise(id, timeout, param, tags, target, branch, timer, delay, external, now, now, retry, true)
if created then return {200, record, 1} end
return {200, record, 0}
