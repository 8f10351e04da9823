-- Arguments: tid, counter, pid, ttl, expires_at
-- Returns {outcome} or {'claimed', task hash, root hash or false, leaf hash or false}.
local state, stored_counter = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'counter'))
if not state then return {'not_found'} end
if state == 'CLAIMED' then return {'already_claimed'} end
if state == 'COMPLETED' or state == 'TIMEDOUT' then return {'already_completed'} end
if stored_counter ~= counter then return {'invalid_counter'} end
update_task(tid, {'state', 'CLAIMED', 'process_id', pid, 'ttl', ttl, 'expires_at', expires_at},
  {'sending_until'})
local kind, root, leaf = unpack(redis.call('HMGET', K_TASK .. tid, 'type', 'root', 'leaf'))
local root_hash = false
local leaf_hash = false
if redis.call('EXISTS', K_PROMISE .. root) == 1 then root_hash = redis.call('HGETALL', K_PROMISE .. root) end
if kind == 'resume' and redis.call('EXISTS', K_PROMISE .. leaf) == 1 then
  leaf_hash = redis.call('HGETALL', K_PROMISE .. leaf)
end
return {'claimed', redis.call('HGETALL', K_TASK .. tid), root_hash, leaf_hash}
