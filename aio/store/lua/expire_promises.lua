-- Arguments: completed_before, limit.  Deletes up to `limit` promises that completed
-- before completed_before, with their index entries; returns how many.
local ids = redis.call('ZRANGEBYSCORE', K_PROMISES_COMPLETED, '-inf', '(' .. completed_before, 'LIMIT', 0, limit)
for _, id in ipairs(ids) do
  local state = redis.call('HGET', K_PROMISE .. id, 'state')
  if state and state ~= 'PENDING' then
    redis.call('ZREM', K_PROMISES_ALL, id)
    redis.call('ZREM', K_PROMISES_IN .. search_class(state), id)
    redis.call('DEL', K_PROMISE .. id, K_CALLBACKS .. id)
  end
  redis.call('ZREM', K_PROMISES_COMPLETED, id)
end
return #ids
