-- Arguments: id, state, value, has_ikey, ikey, now
-- Returns {outcome} or {outcome, hash, tasks created}; outcome is not_found, completed,
-- timed_out or already_completed.
local key = K_PROMISE .. id
local stored, timeout = unpack(redis.call('HMGET', key, 'state', 'timeout'))
if not stored then return {'not_found'} end
if stored ~= 'PENDING' then return {'already_completed', redis.call('HGETALL', key), 0} end
if is_due(timeout, now) then
  local created = time_out_promise(id)
  return {'timed_out', redis.call('HGETALL', key), created}
end
if has_ikey ~= '1' then ikey = false end
local created = complete_promise(id, state, value, ikey, now)
return {'completed', redis.call('HGETALL', key), created}
