-- Arguments: id, now.  Returns the promise hash (timed out first if due), or false.
if not settle_state(id, now) then return false end
return redis.call('HGETALL', K_PROMISE .. id)
