-- Completes a contact for the `lua` baseline of acd-bench: its agent becomes available again
-- (back into the availability set of each of its skills, at the end of the line).
-- KEYS[1] queue, KEYS[2] agent skills hash, KEYS[3] ready sequence counter
-- ARGV[1] key prefix, ARGV[2] contact id
-- Returns 'completed', or 'abandoned' for a contact that was still queued.
local contact_key = ARGV[1] .. 'contact:' .. ARGV[2]
local agent = redis.call('HGET', contact_key, 'agent')
redis.call('DEL', contact_key)
if not agent then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return 'abandoned'
end
local seq = redis.call('INCR', KEYS[3])
for skill in string.gmatch(redis.call('HGET', KEYS[2], agent), '[^,]+') do
  redis.call('ZADD', ARGV[1] .. 'avail:' .. skill, seq, agent)
end
return 'completed'
