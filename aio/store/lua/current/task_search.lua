-- task.search (§2.17): by id after cursor, in one state or all. Returns {tasks, cursor or ''}.
local ids, after = page(C_TASKS .. state, cursor, tonumber(limit), tonumber(limit) + 1, function() return true end)
local records = {}
for _, id in ipairs(ids) do records[#records + 1] = read_task(id) end
return {records, after}
