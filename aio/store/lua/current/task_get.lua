-- task.get (§2.8). Returns {200, task} or {404}.
touch(id, now, retry)
local task = read_task(id)
if not task then return {404} end
return {200, task}
