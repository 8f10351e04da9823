-- wrk script: PATCH /promises/<id> to resolve pending promises created beforehand,
-- each request a different one. Usage: wrk ... -s complete.lua URL -- <id prefix>
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local prefix, counter = "", 0

function init(args)
  prefix = args[1] .. "-" .. thread_number .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("PATCH", "/promises/" .. prefix .. counter, {["Content-Type"] = "application/json"},
    '{"state":"RESOLVED","value":{"data":"ImRvbmUi"}}')
end
