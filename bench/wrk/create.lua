-- wrk script: POST /promises with a fresh id on every request.
-- Usage: wrk ... -s create.lua URL -- <run id>
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local prefix, counter = "", 0

function init(args)
  prefix = (args[1] or "bench") .. "-" .. thread_number .. "-"
end

function request()
  counter = counter + 1
  local body = '{"id":"' .. prefix .. counter .. '","timeout":9223372036854775807,'
    .. '"param":{"data":"eyJhcmdzIjpbMSwyXX0="},"tags":{"bench":"create"}}'
  return wrk.format("POST", "/promises", {["Content-Type"] = "application/json"}, body)
end
