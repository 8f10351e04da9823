-- Arguments: class (all|pending|resolved|rejected), glob (JSON list of the parts
--   between stars, '[]' = any), tags_json ('' = any), limit, max_score ('+inf' or
--   '(<sort id>'), now, budget
-- Scans at most `budget` index rows, newest first, timing out due promises on the way.
-- Returns {last scanned sort id or '', exhausted 0|1, scanned, sort, hash, ...}.
local index = K_PROMISES_ALL
if class ~= 'all' then index = K_PROMISES_IN .. class end

-- A completed-state index cannot see promises that are due but still stored pending:
-- settle a bounded batch of them first (the background sweep takes any beyond it).
if class == 'resolved' or class == 'rejected' then
  for _, due in ipairs(redis.call('ZRANGEBYSCORE', K_PROMISE_TIMEOUTS, '-inf', now, 'LIMIT', 0, 100)) do
    settle_state(due, now)
  end
end

local function in_class(id)
  local state = settle_state(id, now)
  return state and (class == 'all' or search_class(state) == class)
end

return search_index(index, K_PROMISE, max_score, budget, limit, glob, tags_json, in_class)
