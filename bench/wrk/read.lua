-- wrk script: GET /promises/<id> over ids the benchmark created beforehand.
-- Usage: wrk ... -s read.lua URL -- <id prefix> <count>
local prefix, count = "", 1

function init(args)
  prefix = args[1]
  count = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", "/promises/" .. prefix .. math.random(1, count))
end
