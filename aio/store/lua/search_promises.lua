-- ARGV: search class (all|pending|resolved|rejected), Lua id pattern ('' = any),
--       tags_json ('' = any), limit, max score ('+inf' or '(<sort id>'), now, budget
-- Scans at most `budget` index rows, newest first, timing out due promises on the way.
-- Returns {last scanned sort id or '', exhausted 0|1, sort, hash, sort, hash, ...}.
local class, pattern, tags_json, limit, max_score, now, budget = unpack(ARGV)
limit = tonumber(limit)
local index = K_PROMISES_ALL
if class ~= 'all' then index = K_PROMISES_IN .. class end
local want_tags = false
if tags_json ~= '' then want_tags = cjson.decode(tags_json) end

local function tags_match(id)
  if not want_tags then return true end
  local stored = redis.call('HGET', K_PROMISE .. id, 'tags')
  if not stored then return false end
  stored = cjson.decode(stored)
  for k, v in pairs(want_tags) do
    if stored[k] ~= v then return false end
  end
  return true
end

-- A completed-state index cannot see promises that are due but still stored pending:
-- settle a bounded batch of them first (the background sweep takes any beyond it).
if class == 'resolved' or class == 'rejected' then
  for _, due in ipairs(redis.call('ZRANGEBYSCORE', K_PROMISE_TIMEOUTS, '-inf', now, 'LIMIT', 0, 100)) do
    settle_state(due, now)
  end
end

local rows = redis.call('ZREVRANGEBYSCORE', index, max_score, '-inf', 'WITHSCORES', 'LIMIT', 0, budget)
local out = {'', 0}
local found = 0
local scanned_all = true
for i = 1, #rows, 2 do
  local id, sort = rows[i], rows[i + 1]
  out[1] = sort
  if pattern == '' or string.find(id, pattern) then
    local state = settle_state(id, now)
    if state and (class == 'all' or search_class(state) == class) and tags_match(id) then
      out[#out + 1] = sort
      out[#out + 1] = redis.call('HGETALL', K_PROMISE .. id)
      found = found + 1
      if found >= limit then
        scanned_all = (i + 1 == #rows)
        break
      end
    end
  end
end
if scanned_all and #rows < 2 * tonumber(budget) then out[2] = 1 end
return out
