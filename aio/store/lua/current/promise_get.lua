-- promise.get (§2.2). Returns {200, promise} or {404}.
touch(id, now, retry)
local record = read_promise(id)
if not record then return {404} end
return {200, record}
