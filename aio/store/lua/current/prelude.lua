-- The current protocol's model (2026-04-01), shared by every script in this folder
-- (after common.lua): promises, the task of each targeted promise, callbacks, listeners
-- and the outbox. param, value and tags are JSON texts written by the server; the
-- fields the model acts on (target, branch, timer, delay) are kept beside them, so no
-- script decodes JSON on the hot path.

-- Keys of one lineage share the hash tag {origin}: the id before its first ':'.
local function slot(id)
  local i = string.find(id, ':', 1, true)
  local origin = id
  if i then origin = string.sub(id, 1, i - 1) end
  if origin == '' then origin = ':' end
  return '{' .. origin .. '}'
end

local function kp(id) return C_PROMISE .. slot(id) .. id end
local function kt(id) return C_TASK .. slot(id) .. id end
local function kcb(id) return C_CALLBACKS .. slot(id) .. id end
local function kaw(id) return C_AWAITING .. slot(id) .. id end
local function kls(id) return C_LISTENERS .. slot(id) .. id end
local function kbr(branch) return C_BRANCH .. slot(branch) .. branch end

-- Records as the scripts return them (absent fields as '').
local function read_promise(id)
  local v = redis.call('HMGET', kp(id), 'state', 'param', 'value', 'tags', 'timeout', 'created', 'settled')
  if not v[1] then return nil end
  return {id, v[1], v[2], v[3], v[4], v[5], v[6], v[7] or ''}
end

local function read_task(id)
  local v = redis.call('HMGET', kt(id), 'state', 'version', 'resumes', 'ttl', 'pid')
  if not v[1] then return nil end
  return {id, v[1], v[2], v[3], v[4] or '', v[5] or ''}
end

local function task_state(id)
  return redis.call('HGET', kt(id), 'state')
end

local function promise_state(id)
  return redis.call('HGET', kp(id), 'state')
end

-- The search indexes follow every state change.
local function index_promise(id, old, new)
  if old then redis.call('ZREM', C_PROMISES .. old, id) end
  redis.call('ZADD', C_PROMISES .. new, 0, id)
end

local function set_task_state(id, old, new)
  redis.call('HSET', kt(id), 'state', new)
  if old then redis.call('ZREM', C_TASKS .. old, id) end
  redis.call('ZADD', C_TASKS .. new, 0, id)
end

-- The outbox: an execute is keyed by its task (a later one replaces a queued one), an
-- unblock by (promise, address). Both are read at send time from the records.
local function queue_execute(id, now)
  redis.call('ZADD', C_OUTBOX, now, cjson.encode({'e', id}))
end

local function queue_unblock(id, address, now)
  redis.call('ZADD', C_OUTBOX, now, cjson.encode({'u', id, address}))
end

-- Task transitions (protocol §4.6). One timer per task: retry while pending, lease
-- while acquired, none otherwise.
local function to_pending(id, now, retry)
  set_task_state(id, task_state(id), 'pending')
  redis.call('HDEL', kt(id), 'pid', 'ttl')
  redis.call('ZADD', C_TASK_TIMERS, add_ms(now, retry), id)
  queue_execute(id, now)
end

local function acquire(id, pid, ttl, now)
  set_task_state(id, task_state(id), 'acquired')
  redis.call('HINCRBY', kt(id), 'version', 1)
  redis.call('HSET', kt(id), 'pid', pid, 'ttl', ttl, 'resumes', 0)
  redis.call('ZADD', C_TASK_TIMERS, add_ms(now, ttl), id)
end

-- The task is done: no timer, and it awaits nothing any more.
local function fulfill_task(id)
  local state = task_state(id)
  if not state or state == 'fulfilled' then return end
  set_task_state(id, state, 'fulfilled')
  redis.call('HSET', kt(id), 'resumes', 0)
  redis.call('HDEL', kt(id), 'pid', 'ttl')
  redis.call('ZREM', C_TASK_TIMERS, id)
  for _, awaited in ipairs(redis.call('SMEMBERS', kaw(id))) do
    redis.call('SREM', kcb(awaited), id)
  end
  redis.call('DEL', kaw(id))
end

-- The settlement chain (§4.5) in its three steps, so that a pass over many expired
-- promises can run each step for all of them before the next.
local function mark_settled(id, state, value, settled)
  redis.call('HSET', kp(id), 'state', state, 'value', value, 'settled', settled)
  redis.call('ZREM', C_TIMEOUTS, id)
  index_promise(id, 'pending', state)
end

local function resume_and_notify(id, now, retry)
  for _, awaiter in ipairs(redis.call('SMEMBERS', kcb(id))) do
    redis.call('SREM', kaw(awaiter), id)
    if promise_state(awaiter) == 'pending' then
      local state = task_state(awaiter)
      if state and state ~= 'fulfilled' then
        redis.call('HINCRBY', kt(awaiter), 'resumes', 1)
        if state == 'suspended' then to_pending(awaiter, now, retry) end
      end
    end
  end
  redis.call('DEL', kcb(id))
  for _, address in ipairs(redis.call('SMEMBERS', kls(id))) do
    queue_unblock(id, address, now)
  end
  redis.call('DEL', kls(id))
end

local function settle(id, state, value, settled, now, retry)
  mark_settled(id, state, value, settled)
  fulfill_task(id)
  resume_and_notify(id, now, retry)
end

local function timeout_state(id)
  if redis.call('HGET', kp(id), 'timer') == '1' then return 'resolved' end
  return 'rejected_timedout'
end

-- Lazy timeout (§4.4): a pending promise past its deadline is settled before use.
local function touch(id, now, retry)
  local state, timeout = unpack(redis.call('HMGET', kp(id), 'state', 'timeout'))
  if state == 'pending' and is_due(timeout, now) then
    settle(id, timeout_state(id), '{}', timeout, now, retry)
  end
end

-- Promise create (§4.2), with its task when targeted. dispatch = false: the caller is
-- the worker (task.create), so no execute is queued. Returns the record and whether it
-- is new.
local function create_promise(id, timeout, param, tags, target, branch, timer, delay, external, created, now, retry, dispatch)
  touch(id, now, retry)
  if redis.call('EXISTS', kp(id)) == 1 then return read_promise(id), false end
  local due = is_due(timeout, now)
  local state = 'pending'
  if due then
    state = 'rejected_timedout'
    if timer == '1' then state = 'resolved' end
    created = timeout
  end
  redis.call('HSET', kp(id), 'state', state, 'param', param, 'value', '{}', 'tags', tags,
    'timeout', timeout, 'created', created)
  if due then redis.call('HSET', kp(id), 'settled', timeout) end
  if target ~= '' then redis.call('HSET', kp(id), 'target', target) end
  if branch ~= '' then
    redis.call('HSET', kp(id), 'branch', branch)
    redis.call('ZADD', kbr(branch), 0, id)
  end
  if timer == '1' then redis.call('HSET', kp(id), 'timer', '1') end
  redis.call('ZADD', C_PROMISES .. 'all', 0, id)
  index_promise(id, nil, state)
  if target == '' then
    -- Untargeted promises time out when touched, but sleeps and outside promises also
    -- in the background (§4.4's option): resonate-sdk 0.7.x sleeps carry no target.
    if not due and (timer == '1' or external == '1') then redis.call('ZADD', C_TIMEOUTS, timeout, id) end
    return read_promise(id), true
  end
  redis.call('HSET', kt(id), 'version', 0, 'resumes', 0)
  redis.call('ZADD', C_TASKS .. 'all', 0, id)
  if due then
    set_task_state(id, nil, 'fulfilled')
    return read_promise(id), true
  end
  set_task_state(id, nil, 'pending')
  redis.call('ZADD', C_TIMEOUTS, timeout, id)
  if delay ~= '' and not is_due(delay, now) then
    redis.call('ZADD', C_TASK_TIMERS, delay, id)
  else
    redis.call('ZADD', C_TASK_TIMERS, add_ms(now, retry), id)
    if dispatch then queue_execute(id, now) end
  end
  return read_promise(id), true
end

-- Promise settle (§4.3): 404 when missing; a settled promise is returned unchanged.
local function settle_promise(id, state, value, now, retry)
  touch(id, now, retry)
  local stored = promise_state(id)
  if not stored then return nil end
  if stored == 'pending' then settle(id, state, value, now, now, retry) end
  return read_promise(id)
end

-- Preload (§4.11): the promises of the task's branch but itself, by id, at most max.
local function preload(id, max)
  local branch = redis.call('HGET', kp(id), 'branch')
  local records = {}
  if not branch then return records end
  for _, other in ipairs(redis.call('ZRANGEBYLEX', kbr(branch), '-', '+', 'LIMIT', 0, tonumber(max) + 1)) do
    if other ~= id and #records < tonumber(max) then
      local record = read_promise(other)
      if record then records[#records + 1] = record end
    end
  end
  return records
end

-- A page of a lexicographic index after cursor (exclusive): up to limit ids passing
-- keep(id), reading at most budget entries. Returns the ids and the cursor to go on
-- from ('' when the index has no more). With a prefix, only the ids that start with it
-- are read: they lie together in the index.
local function page(index, cursor, limit, budget, keep, prefix)
  prefix = prefix or ''
  local found = {}
  local start = '-'
  if cursor ~= '' then start = '(' .. cursor end
  if prefix ~= '' and (cursor == '' or cursor < prefix) then start = '[' .. prefix end
  local read = 0
  local last = cursor
  while read < budget do
    local slice = math.min(100, budget - read)
    local ids = redis.call('ZRANGEBYLEX', index, start, '+', 'LIMIT', 0, slice)
    for _, id in ipairs(ids) do
      read = read + 1
      if string.sub(id, 1, #prefix) ~= prefix then return found, '' end
      if keep(id) then
        if #found == limit then return found, last end
        found[#found + 1] = id
      end
      last = id
    end
    if #ids < slice then return found, '' end
    start = '(' .. last
  end
  return found, last
end
