-- promise.register_listener (§2.6): one-shot, a set per promise. Returns {200, promise},
-- {404} or {409} when the promise has max_listeners already.
touch(awaited, now, retry)
local record = read_promise(awaited)
if not record then return {404} end
if record[2] == 'pending' then
  if redis.call('SISMEMBER', kls(awaited), address) == 0 then
    if redis.call('SCARD', kls(awaited)) >= tonumber(max_listeners) then return {409} end
    redis.call('SADD', kls(awaited), address)
  end
end
return {200, record}
