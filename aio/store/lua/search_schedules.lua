-- ARGV: Lua id pattern ('' = any), tags_json ('' = any), limit, max score, budget
-- Returns {last scanned sort id or '', exhausted 0|1, sort, hash, ...}, newest first.
local pattern, tags_json, limit, max_score, budget = unpack(ARGV)
local function any() return true end
return search_index(K_SCHEDULES_ALL, K_SCHEDULE, max_score, budget, limit, pattern, tags_json, any)
