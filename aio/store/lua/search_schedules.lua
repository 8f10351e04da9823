-- Arguments: glob (JSON list of the parts between stars, '[]' = any), tags_json
--   ('' = any), limit, max_score, budget
-- Returns {last scanned sort id or '', exhausted 0|1, scanned, sort, hash, ...}.
local function any() return true end
return search_index(K_SCHEDULES_ALL, K_SCHEDULE, max_score, budget, limit, glob, tags_json, any)
