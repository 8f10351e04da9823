-- promise.settle (§2.4, §4.3). Returns {200, promise} or {404}.
local record = settle_promise(id, state, value, now, retry)
if not record then return {404} end
return {200, record}
