-- promise.register_callback (§2.5). Returns {200, awaited}, {404} or {422, reason}.
touch(awaited, now, retry)
touch(awaiter, now, retry)
local record = read_promise(awaited)
if not record then return {404} end
local awaiter_state = promise_state(awaiter)
if not awaiter_state then return {422, 'awaiter'} end
if not redis.call('HGET', kp(awaiter), 'target') then return {422, 'target'} end
if awaiter_state ~= 'pending' then return {200, record} end
local task = task_state(awaiter)
if record[2] == 'pending' then
  if task ~= 'fulfilled' then
    if redis.call('SCARD', kcb(awaited)) >= tonumber(max_callbacks) and redis.call('SISMEMBER', kcb(awaited), awaiter) == 0 then
      return {409, 'callbacks'}
    end
    redis.call('SADD', kcb(awaited), awaiter)
    redis.call('SADD', kaw(awaiter), awaited)
  end
elseif task == 'suspended' then
  redis.call('HINCRBY', kt(awaiter), 'resumes', 1)
  to_pending(awaiter, now, retry)
elseif task == 'pending' or task == 'acquired' then
  redis.call('HINCRBY', kt(awaiter), 'resumes', 1)
end
return {200, record}
