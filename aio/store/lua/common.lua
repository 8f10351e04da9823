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
