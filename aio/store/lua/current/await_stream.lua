-- An execute found no stream in its poll group: the task waits for one to connect. The
-- set is bounded; past the bound a task is left to its retry timer.
if task_state(id) == 'pending' and redis.call('SCARD', C_WAITING .. group) < 10000 then
  redis.call('SADD', C_WAITING .. group, id)
end
return 1
