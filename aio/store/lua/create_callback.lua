-- Arguments: promise_id, callback_id, record ({type, root, recv, timeout, createdOn}),
--   max_callbacks.
-- Returns {outcome, promise hash}: created, exists, completed, too_many, or {not_found}.
-- No lazy timeout here: a due but pending promise still takes callbacks.
local state = redis.call('HGET', K_PROMISE .. promise_id, 'state')
if not state then return {'not_found'} end
local promise = redis.call('HGETALL', K_PROMISE .. promise_id)
if state ~= 'PENDING' then return {'completed', promise} end
if redis.call('HEXISTS', K_CALLBACKS .. promise_id, callback_id) == 1 then return {'exists', promise} end
if redis.call('HLEN', K_CALLBACKS .. promise_id) >= tonumber(max_callbacks) then return {'too_many', promise} end
redis.call('HSET', K_CALLBACKS .. promise_id, callback_id, record)
return {'created', promise}
