-- Arguments: now, limit.  Times out up to `limit` due pending promises; returns how many.
local ids = redis.call('ZRANGEBYSCORE', K_PROMISE_TIMEOUTS, '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(ids) do
  if redis.call('HGET', K_PROMISE .. id, 'state') == 'PENDING' then
    time_out_promise(id)
  else
    redis.call('ZREM', K_PROMISE_TIMEOUTS, id)
  end
end
return #ids
