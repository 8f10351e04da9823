-- Shared by every script of the legacy protocol: the completion transaction and the
-- indexes it keeps (after common.lua).

local function search_class(state)
  if state == 'PENDING' then return 'pending' end
  if state == 'RESOLVED' then return 'resolved' end
  return 'rejected'
end

-- Tasks ----------------------------------------------------------------------------
-- A task's index entries follow its state; every change goes through update_task, which
-- takes the task out of the indexes, writes the fields, and puts it back where it belongs.

local function earlier(a, b)
  if tonumber(a) < tonumber(b) then return a end
  return b
end

-- Sending: a root has at most one invoke/resume message in flight. Its waiting tasks
-- queue by id; only the head of the queue of a root with nothing enqueued or claimed is
-- in its lane's ready set, scored by when it may be sent (after a reservation or a
-- failed send's backoff). Notify tasks never hold a root: each is in the ready set.
-- Every question is one range read, so a pass costs what it sends.

-- 'http' for a receiver that is an http(s) URL or an {"type": "http"} object, else 'poll'.
local function task_lane(recv)
  if string.sub(recv, 1, 5) == '"http' then return 'http' end
  if string.sub(recv, 1, 1) == '{' then
    local ok, value = pcall(cjson.decode, recv)
    if ok and type(value) == 'table' and value['type'] == 'http' then return 'http' end
  end
  return 'poll'
end

local function ready_score(tid)
  local ready_at, sending = unpack(redis.call('HMGET', K_TASK .. tid, 'ready_at', 'sending_until'))
  local score = tonumber(ready_at or '0')
  if sending and tonumber(sending) > score then score = tonumber(sending) end
  return score
end

-- Puts the root's queue head in its ready set, or takes it out while the root is busy.
local function refresh_root(root)
  local head = redis.call('ZRANGE', K_ROOT_QUEUE .. root, 0, 0)[1]
  if not head then return end
  local lane = redis.call('HGET', K_TASK .. head, 'lane') or 'poll'
  if redis.call('SCARD', K_ROOT_BUSY .. root) > 0 then
    redis.call('ZREM', K_TASKS_READY .. lane, head)
  else
    redis.call('ZADD', K_TASKS_READY .. lane, ready_score(head), head)
  end
end

local function unindex_task(tid)
  local root, pid, lane = unpack(redis.call('HMGET', K_TASK .. tid, 'root', 'process_id', 'lane'))
  redis.call('ZREM', K_TASKS_READY .. (lane or 'poll'), tid)
  redis.call('ZREM', K_ROOT_QUEUE .. root, tid)
  redis.call('SREM', K_ROOT_BUSY .. root, tid)
  redis.call('ZREM', K_TASK_LEASES, tid)
  redis.call('ZREM', K_TASKS_FINISHED, tid)
  redis.call('SREM', K_TASKS_OF_ROOT .. root, tid)
  if pid then redis.call('SREM', K_TASKS_OF_PROCESS .. pid, tid) end
end

local function index_task(tid)
  local state, kind, root, pid, expires_at, timeout, lane, completed = unpack(redis.call('HMGET',
    K_TASK .. tid, 'state', 'type', 'root', 'process_id', 'expires_at', 'timeout', 'lane', 'completed'))
  local holds_root = kind ~= 'notify'
  if state == 'INIT' then
    redis.call('SADD', K_TASKS_OF_ROOT .. root, tid)
    if holds_root then
      redis.call('ZADD', K_ROOT_QUEUE .. root, tonumber(tid), tid)
    else
      redis.call('ZADD', K_TASKS_READY .. (lane or 'poll'), ready_score(tid), tid)
    end
  elseif state == 'ENQUEUED' or state == 'CLAIMED' then
    redis.call('ZADD', K_TASK_LEASES, earlier(expires_at, timeout), tid)
    redis.call('SADD', K_TASKS_OF_ROOT .. root, tid)
    if holds_root then redis.call('SADD', K_ROOT_BUSY .. root, tid) end
    if state == 'CLAIMED' then redis.call('SADD', K_TASKS_OF_PROCESS .. pid, tid) end
  else
    redis.call('ZADD', K_TASKS_FINISHED, completed or '0', tid)
  end
  if holds_root then refresh_root(root) end
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
    'leaf', leaf, 'recv', recv, 'lane', task_lane(recv), 'timeout', timeout, 'counter', 1,
    'attempt', 0, 'ready_at', 0, 'ttl', 0, 'expires_at', 0, 'created', created)
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
  redis.call('ZADD', K_PROMISES_COMPLETED, completed_on, id)
  return fire_callbacks(id, completed_on)
end

-- The timeout transition: completed at the timeout itself, with an empty value.
local function time_out_promise(id)
  local timeout, resolves = unpack(redis.call('HMGET', K_PROMISE .. id, 'timeout', 'timeout_resolves'))
  local state = 'REJECTED_TIMEDOUT'
  if resolves == '1' then state = 'RESOLVED' end
  return complete_promise(id, state, '{}', false, timeout)
end

-- Inserts a pending promise (the caller knows the id is free); returns its sort id.
local function insert_promise(id, param, timeout, ikey, tags, resolves, now)
  local key = K_PROMISE .. id
  local sort = redis.call('INCR', K_PROMISE_SEQ)
  redis.call('HSET', key, 'id', id, 'state', 'PENDING', 'param', param, 'value', '{}',
    'timeout', timeout, 'created', now, 'sort', sort)
  if ikey then redis.call('HSET', key, 'ikey_create', ikey) end
  if tags ~= '' then redis.call('HSET', key, 'tags', tags) end
  if resolves == '1' then redis.call('HSET', key, 'timeout_resolves', '1') end
  redis.call('ZADD', K_PROMISES_ALL, sort, id)
  redis.call('ZADD', K_PROMISES_IN .. 'pending', sort, id)
  redis.call('ZADD', K_PROMISE_TIMEOUTS, timeout, id)
  return sort
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


-- Search ---------------------------------------------------------------------------

-- Scans at most `budget` rows of a sorted set of ids by sort id, newest first, below
-- max_score, keeping those whose id matches the glob (JSON parts, see glob_match),
-- whose tags (a JSON field of the hash under key_prefix) include want_tags, and that
-- accept(id) takes. Returns {last scanned sort id or '', exhausted 0|1, scanned,
-- sort, hash, ...}.
local function search_index(index, key_prefix, max_score, budget, limit, glob_json, tags_json, accept)
  local parts = cjson.decode(glob_json)
  local want_tags = false
  if tags_json ~= '' then want_tags = cjson.decode(tags_json) end
  local function tags_match(id)
    if not want_tags then return true end
    local stored = redis.call('HGET', key_prefix .. id, 'tags')
    if not stored then return false end
    stored = cjson.decode(stored)
    for k, v in pairs(want_tags) do
      if stored[k] ~= v then return false end
    end
    return true
  end
  local rows = redis.call('ZREVRANGEBYSCORE', index, max_score, '-inf', 'WITHSCORES', 'LIMIT', 0, budget)
  local out = {'', 0, 0}
  local found = 0
  local scanned_all = true
  for i = 1, #rows, 2 do
    local id, sort = rows[i], rows[i + 1]
    out[1] = sort
    out[3] = out[3] + 1
    if glob_match(id, parts) and accept(id) and tags_match(id) then
      out[#out + 1] = sort
      out[#out + 1] = redis.call('HGETALL', key_prefix .. id)
      found = found + 1
      if found >= tonumber(limit) then
        scanned_all = (i + 1 == #rows)
        break
      end
    end
  end
  if scanned_all and #rows < 2 * tonumber(budget) then out[2] = 1 end
  return out
end
