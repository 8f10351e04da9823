-- Arguments: tid, counter, now.  Returns {outcome}, or {'completed' | 'already_completed',
-- task hash}: completing a finished task again is answered with it, whatever the counter
-- (as the Go server does from v0.7.8; resonate-sdk 0.6.x relies on it).
local state, stored_counter = unpack(redis.call('HMGET', K_TASK .. tid, 'state', 'counter'))
if not state then return {'not_found'} end
if state == 'COMPLETED' or state == 'TIMEDOUT' then return {'already_completed', redis.call('HGETALL', K_TASK .. tid)} end
if state == 'INIT' or state == 'ENQUEUED' then return {'invalid_state'} end
if stored_counter ~= counter then return {'invalid_counter'} end
update_task(tid, {'state', 'COMPLETED', 'completed', now, 'ttl', 0, 'expires_at', 0}, {'process_id'})
return {'completed', redis.call('HGETALL', K_TASK .. tid)}
