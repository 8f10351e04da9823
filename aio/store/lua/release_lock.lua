-- Arguments: rid, eid.  Returns 1 if released, 0 if no such lock is held.
local key = K_LOCK .. rid
local holder, pid = unpack(redis.call('HMGET', key, 'execution_id', 'process_id'))
if holder ~= eid then return 0 end
redis.call('DEL', key)
redis.call('ZREM', K_LOCK_EXPIRIES, rid)
redis.call('SREM', K_LOCKS_OF_PROCESS .. pid, rid)
return 1
