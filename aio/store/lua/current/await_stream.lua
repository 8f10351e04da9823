-- An execute found no stream in its poll group: the task waits for one to connect.
if task_state(id) == 'pending' then redis.call('SADD', C_WAITING .. group, id) end
return 1
