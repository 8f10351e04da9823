-- Shared by every script: the completion transaction and the indexes it keeps.
-- Integers (times, timeouts) stay strings in hashes; tonumber is used only to compare,
-- so 2^63-1 is stored exactly and compares correctly against the clock.

local function search_class(state)
  if state == 'PENDING' then return 'pending' end
  if state == 'RESOLVED' then return 'resolved' end
  return 'rejected'
end

local function is_due(timeout, now)
  return tonumber(now) >= tonumber(timeout)
end

-- The one place a promise leaves PENDING: state, value, key, time and indexes together.
local function complete_promise(id, state, value, ikey, completed_on)
  local key = K_PROMISE .. id
  local sort = redis.call('HGET', key, 'sort')
  redis.call('HSET', key, 'state', state, 'value', value, 'completed', completed_on)
  if ikey then
    redis.call('HSET', key, 'ikey_complete', ikey)
  else
    redis.call('HDEL', key, 'ikey_complete')
  end
  redis.call('ZREM', K_PROMISE_TIMEOUTS, id)
  redis.call('ZREM', K_PROMISES_IN .. 'pending', id)
  redis.call('ZADD', K_PROMISES_IN .. search_class(state), sort, id)
end

-- The timeout transition: completed at the timeout itself, with an empty value.
local function time_out_promise(id)
  local timeout, resolves = unpack(redis.call('HMGET', K_PROMISE .. id, 'timeout', 'timeout_resolves'))
  local state = 'REJECTED_TIMEDOUT'
  if resolves == '1' then state = 'RESOLVED' end
  complete_promise(id, state, '{}', false, timeout)
end

-- The promise's state after applying a due timeout; false if there is no such promise.
local function settle_state(id, now)
  local state, timeout = unpack(redis.call('HMGET', K_PROMISE .. id, 'state', 'timeout'))
  if not state then return false end
  if state == 'PENDING' and is_due(timeout, now) then
    time_out_promise(id)
    state = redis.call('HGET', K_PROMISE .. id, 'state')
  end
  return state
end
