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

-- Tasks ----------------------------------------------------------------------------
-- A task's index entries follow its state; every change goes through update_task, which
-- takes the task out of the indexes, writes the fields, and puts it back where it belongs.

local MAX_INT64 = '9223372036854775807'

local function add_ms(now, ms)
  local sum = tonumber(now) + tonumber(ms)
  if sum >= 9.2233720368547e18 then return MAX_INT64 end
  return string.format('%.0f', sum)
end

local function earlier(a, b)
  if tonumber(a) < tonumber(b) then return a end
  return b
end

local function unindex_task(tid)
  local root, pid = unpack(redis.call('HMGET', K_TASK .. tid, 'root', 'process_id'))
  redis.call('ZREM', K_TASKS_INIT, tid)
  redis.call('ZREM', K_TASK_LEASES, tid)
  redis.call('SREM', K_TASKS_OF_ROOT .. root, tid)
  if pid then redis.call('SREM', K_TASKS_OF_PROCESS .. pid, tid) end
end

local function index_task(tid)
  local state, root, pid, expires_at, timeout = unpack(redis.call('HMGET', K_TASK .. tid,
    'state', 'root', 'process_id', 'expires_at', 'timeout'))
  if state == 'INIT' then
    redis.call('ZADD', K_TASKS_INIT, tid, tid)
    redis.call('SADD', K_TASKS_OF_ROOT .. root, tid)
  elseif state == 'ENQUEUED' or state == 'CLAIMED' then
    redis.call('ZADD', K_TASK_LEASES, earlier(expires_at, timeout), tid)
    redis.call('SADD', K_TASKS_OF_ROOT .. root, tid)
    if state == 'CLAIMED' then redis.call('SADD', K_TASKS_OF_PROCESS .. pid, tid) end
  end
end

-- set: flat list of field, value; clear: list of fields to delete
local function update_task(tid, set, clear)
  unindex_task(tid)
  if #set > 0 then redis.call('HSET', K_TASK .. tid, unpack(set)) end
  if clear and #clear > 0 then redis.call('HDEL', K_TASK .. tid, unpack(clear)) end
  index_task(tid)
end

-- Inserts a task (INIT, or CLAIMED when pid is given); returns its id.
local function new_task(kind, root, leaf, recv, timeout, created, pid, ttl, expires_at)
  local tid = tostring(redis.call('INCR', K_TASK_SEQ))
  redis.call('HSET', K_TASK .. tid, 'id', tid, 'state', 'INIT', 'type', kind, 'root', root,
    'leaf', leaf, 'recv', recv, 'timeout', timeout, 'counter', 1, 'attempt', 0, 'ttl', 0,
    'expires_at', 0, 'created', created)
  if pid then
    redis.call('HSET', K_TASK .. tid, 'state', 'CLAIMED', 'process_id', pid, 'ttl', ttl,
      'expires_at', expires_at)
  end
  index_task(tid)
  return tid
end

-- What a promise's completion does to tasks, in the same transaction: the root's
-- unclaimed tasks are done, and each callback becomes a task. Returns tasks created.
local function fire_callbacks(id, completed_on)
  for _, tid in ipairs(redis.call('SMEMBERS', K_TASKS_OF_ROOT .. id)) do
    local state = redis.call('HGET', K_TASK .. tid, 'state')
    if state == 'INIT' or state == 'ENQUEUED' then
      update_task(tid, {'state', 'COMPLETED', 'completed', completed_on}, {'sending_until'})
    end
  end
  local flat = redis.call('HGETALL', K_CALLBACKS .. id)
  local ids = {}
  local records = {}
  for i = 1, #flat, 2 do
    ids[#ids + 1] = flat[i]
    records[flat[i]] = cjson.decode(flat[i + 1])
  end
  table.sort(ids)
  for _, cid in ipairs(ids) do
    local cb = records[cid]
    new_task(cb.type, cb.root, id, cb.recv, cb.timeout, completed_on)
  end
  redis.call('DEL', K_CALLBACKS .. id)
  return #ids
end

-- Promises ---------------------------------------------------------------------------

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
  return fire_callbacks(id, completed_on)
end

-- The timeout transition: completed at the timeout itself, with an empty value.
local function time_out_promise(id)
  local timeout, resolves = unpack(redis.call('HMGET', K_PROMISE .. id, 'timeout', 'timeout_resolves'))
  local state = 'REJECTED_TIMEDOUT'
  if resolves == '1' then state = 'RESOLVED' end
  return complete_promise(id, state, '{}', false, timeout)
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

