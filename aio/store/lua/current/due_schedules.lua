-- Up to limit schedules whose next run is due, as field lists.
local records = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', C_SCHEDULES_DUE, '-inf', now, 'LIMIT', 0, tonumber(limit))) do
  records[#records + 1] = redis.call('HGETALL', C_SCHEDULE .. id)
end
return records
