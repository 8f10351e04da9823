-- schedule.search: by id after cursor, with every given promise tag; reads at most budget
-- entries. Returns {schedules (field lists), cursor or ''}.
local wanted = cjson.decode(tags)
local function keep(id)
  if next(wanted) == nil then return true end
  local stored = cjson.decode(redis.call('HGET', C_SCHEDULE .. id, 'promise_tags') or '{}')
  for k, v in pairs(wanted) do
    if stored[k] ~= v then return false end
  end
  return true
end
local ids, after = page(C_SCHEDULES, cursor, tonumber(limit), tonumber(budget), keep)
local records = {}
for _, id in ipairs(ids) do records[#records + 1] = redis.call('HGETALL', C_SCHEDULE .. id) end
return {records, after}
