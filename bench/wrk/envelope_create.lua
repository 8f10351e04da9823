-- wrk script: the current protocol's promise.create (POST /) with a fresh id every time.
-- Usage: wrk ... -s envelope_create.lua URL -- <run id>
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
  local body = '{"kind":"promise.create","head":{"corrId":"c' .. counter .. '","version":"2026-04-01"},'
    .. '"data":{"id":"' .. prefix .. counter .. '","timeoutAt":9223372036854775807,'
    .. '"param":{"data":"eyJhcmdzIjpbMSwyXX0="},"tags":{"bench":"create"}}}'
  return wrk.format("POST", "/", {["Content-Type"] = "application/json"}, body)
end
