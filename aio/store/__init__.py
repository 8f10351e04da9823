"""The Redis store: key layout, Lua scripts, the pipelined executor, the embedded server."""
