-- ARGV: promise id, callback id, record json ({type, root, recv, timeout, createdOn})
-- Returns {outcome, promise hash}: created, exists, completed, or {not_found}.
-- No lazy timeout here: a due but pending promise still takes callbacks.
local promise_id, callback_id, record = unpack(ARGV)
local state = redis.call('HGET', K_PROMISE .. promise_id, 'state')
if not state then return {'not_found'} end
local promise = redis.call('HGETALL', K_PROMISE .. promise_id)
if state ~= 'PENDING' then return {'completed', promise} end
if redis.call('HSETNX', K_CALLBACKS .. promise_id, callback_id, record) == 0 then
  return {'exists', promise}
end
return {'created', promise}
