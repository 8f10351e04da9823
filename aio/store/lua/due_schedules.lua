-- Arguments: now, limit.  The schedules whose next run time has come, oldest slot first.
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K_SCHEDULES_DUE, '-inf', now, 'LIMIT', 0, limit)) do
  if redis.call('EXISTS', K_SCHEDULE .. id) == 1 then
    out[#out + 1] = redis.call('HGETALL', K_SCHEDULE .. id)
  else
    redis.call('ZREM', K_SCHEDULES_DUE, id)
  end
end
return out
