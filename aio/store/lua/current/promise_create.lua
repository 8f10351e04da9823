-- promise.create (§2.3, §4.2): idempotent by id. Returns {200, promise}.
local record = create_promise(id, timeout, param, tags, target, branch, timer, delay, external, now, now, retry, true)
return {200, record}
