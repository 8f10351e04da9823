-- Arguments: tid, counter, delivered ('1' | '0'), now, enqueue_delay, notify_grace,
--   retry_base, retry_cap, notify_retry (all ms), poll_group ('' = not a poll send),
--   undeliverable ('1': the receiver can never be reached, so the task is done)
-- Guarded by state INIT and the same counter: a claim or re-issue that came first wins.
-- A delivered invoke/resume is ENQUEUED until now + enqueue_delay; a failed one waits
-- retry_base * 2^(attempt - 1), at most retry_cap. A notify is done once delivered, or
-- once it has failed for notify_grace (its stream may connect a moment late).
local state, stored_counter, kind, attempt, failing_since = unpack(redis.call('HMGET', K_TASK .. tid,
  'state', 'counter', 'type', 'attempt', 'failing_since'))
if state ~= 'INIT' or stored_counter ~= counter then return 0 end
attempt = tonumber(attempt or '0') + 1
if undeliverable == '1' then
  update_task(tid, {'state', 'COMPLETED', 'completed', now, 'attempt', attempt}, {'sending_until'})
elseif kind == 'notify' then
  failing_since = failing_since or now
  if delivered == '1' or tonumber(now) >= tonumber(failing_since) + tonumber(notify_grace) then
    update_task(tid, {'state', 'COMPLETED', 'completed', now}, {'sending_until'})
  else
    update_task(tid, {'attempt', attempt, 'failing_since', failing_since,
      'ready_at', add_ms(now, notify_retry)}, {'sending_until'})
  end
elseif delivered == '1' then
  update_task(tid, {'state', 'ENQUEUED', 'attempt', 0, 'ready_at', 0, 'expires_at', add_ms(now, enqueue_delay)},
    {'sending_until'})
else
  local backoff = tonumber(retry_base) * 2 ^ math.min(attempt - 1, 30)
  if backoff > tonumber(retry_cap) then backoff = tonumber(retry_cap) end
  update_task(tid, {'attempt', attempt, 'ready_at', add_ms(now, backoff)}, {'sending_until'})
  if poll_group ~= '' then redis.call('SADD', K_POLL_WAITING .. poll_group, tid) end
end
return 1
