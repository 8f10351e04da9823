-- Arguments: id.  Returns the schedule hash, or false.
local key = K_SCHEDULE .. id
if redis.call('EXISTS', key) == 0 then return false end
return redis.call('HGETALL', key)
