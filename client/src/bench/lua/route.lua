-- The old routing algorithm as one script per contact (the `lua` baseline of acd-bench).
-- KEYS[1] queue (contact -> arrival), KEYS[2] agent skills (hash: agent -> "s1,s2,...")
-- ARGV[1] key prefix of the availability sets (<prefix>avail:<skill>) and contact hashes
--         (<prefix>contact:<id>, field skills = "s1,s2")
-- Pops the oldest contact, intersects the availability sets of its skills (ZINTER, scores are
-- the agents' ready sequence numbers), takes the lowest-score (longest-available) agent,
-- removes it from every set of its skills and marks the contact assigned.
-- Returns {contact, agent}; 0 when no agent can take it (it goes back at the head of the
-- queue); nil when the queue is empty.
local head = redis.call('ZPOPMIN', KEYS[1])
if #head == 0 then
  return false
end
local contact, arrival = head[1], head[2]
local contact_key = ARGV[1] .. 'contact:' .. contact
local inter = {'ZINTER', 0}
for skill in string.gmatch(redis.call('HGET', contact_key, 'skills'), '[^,]+') do
  inter[#inter + 1] = ARGV[1] .. 'avail:' .. skill
end
inter[2] = #inter - 2
inter[#inter + 1] = 'AGGREGATE'
inter[#inter + 1] = 'MIN'
local agent = redis.call(unpack(inter))[1]
if not agent then
  redis.call('ZADD', KEYS[1], arrival, contact)
  return 0
end
for skill in string.gmatch(redis.call('HGET', KEYS[2], agent), '[^,]+') do
  redis.call('ZREM', ARGV[1] .. 'avail:' .. skill, agent)
end
redis.call('HSET', contact_key, 'state', 'assigned', 'agent', agent)
return {contact, agent}
