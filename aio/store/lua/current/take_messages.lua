-- Take up to limit messages off the outbox (at most once: a lost one is repaired by the
-- task's retry timer or the client's listener refresh). Returns
-- {'execute', address, id, version} and {'unblock', address, promise} entries; an
-- execute whose task is no longer pending, or an unblock of a deleted promise, is dropped.
local members = redis.call('ZRANGEBYSCORE', C_OUTBOX, '-inf', '+inf', 'LIMIT', 0, tonumber(limit))
local messages = {}
for _, member in ipairs(members) do
  redis.call('ZREM', C_OUTBOX, member)
  local message = cjson.decode(member)
  local id = message[2]
  if message[1] == 'e' then
    local state, version = unpack(redis.call('HMGET', kt(id), 'state', 'version'))
    local target = redis.call('HGET', kp(id), 'target')
    if state == 'pending' and target then
      messages[#messages + 1] = {'execute', target, id, version}
    end
  else
    local record = read_promise(id)
    if record and record[2] ~= 'pending' then
      messages[#messages + 1] = {'unblock', message[3], record}
    end
  end
end
return messages
