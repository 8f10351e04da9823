-- wrk script: GET one path. Usage: wrk ... -s get.lua URL -- <path>
local path = "/"
function init(args) path = args[1] end
function request() return wrk.format("GET", path) end
