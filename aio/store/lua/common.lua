-- Shared by the scripts of both protocols. Integers (times, timeouts) stay strings in
-- hashes; tonumber is used only to compare, so 2^63-1 is stored exactly and compares
-- correctly against the clock.

local MAX_INT64 = '9223372036854775807'

local function add_ms(now, ms)
  local sum = tonumber(now) + tonumber(ms)
  if sum >= 9.2233720368547e18 then return MAX_INT64 end
  return string.format('%.0f', sum)
end

local function is_due(at, now)
  return tonumber(now) >= tonumber(at)
end

-- Whether id matches a glob whose only wildcard is '*', given as the literal parts
-- between its stars. Linear in the id whatever the glob: each part is found with a
-- plain (non-pattern) search after the previous one, never by backtracking.
local function glob_match(id, parts)
  local n = #parts
  if n == 0 then return true end
  if n == 1 then return id == parts[1] end
  local first, last = parts[1], parts[n]
  if #id < #first + #last then return false end
  if string.sub(id, 1, #first) ~= first then return false end
  if #last > 0 and string.sub(id, -#last) ~= last then return false end
  local position, stop = #first + 1, #id - #last
  for i = 2, n - 1 do
    local part = parts[i]
    if #part > 0 then
      local from, to = string.find(id, part, position, true)
      if not from or to > stop then return false end
      position = to + 1
    end
  end
  return true
end
