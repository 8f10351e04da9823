-- promise.search (§2.7): by id after cursor, in one state or all, with every given tag
-- (and, for the dashboard, an id glob). Reads at most budget index entries. Returns
-- {promises, cursor or ''}. No lazy timeouts.
local wanted = cjson.decode(tags)
local parts = cjson.decode(glob)
local function keep(id)
  if not glob_match(id, parts) then return false end
  if next(wanted) == nil then return true end
  local stored = cjson.decode(redis.call('HGET', kp(id), 'tags') or '{}')
  for k, v in pairs(wanted) do
    if stored[k] ~= v then return false end
  end
  return true
end
local ids, after = page(C_PROMISES .. state, cursor, tonumber(limit), tonumber(budget), keep, parts[1] or '')
local records = {}
for _, id in ipairs(ids) do records[#records + 1] = read_promise(id) end
return {records, after}
