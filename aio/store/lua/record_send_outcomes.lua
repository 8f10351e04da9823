-- ARGV: now, enqueue delay ms, then (task id, counter, '1' delivered | '0' failed)...
-- Guarded by state INIT and the same counter: a claim that came first wins.
local now, delay = ARGV[1], ARGV[2]
for i = 3, #ARGV, 3 do
  local tid, counter, delivered = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local state, stored_counter, kind = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'counter', 'type'))
  if state == 'INIT' and stored_counter == counter then
    if kind == 'notify' then
      update_task(tid, {'state', 'COMPLETED', 'completed', now}, {'sending_until'})
    elseif delivered == '1' then
      update_task(tid, {'state', 'ENQUEUED', 'expires_at', add_ms(now, delay)}, {'sending_until'})
    else
      redis.call('HINCRBY', K_TASK .. tid, 'attempt', 1)
      update_task(tid, {'expires_at', add_ms(now, delay)}, {'sending_until'})
    end
  end
end
return 1
