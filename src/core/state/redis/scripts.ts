/**
 * The Lua scripts that make each operation one atomic step in Redis: a transaction's writes land only
 * if nothing it read has changed since (compare-and-set on the exact text read), so two processes can
 * never both spend one single-use value.
 */

/**
 * KEYS: order, seq, ends, then every key the script touches.
 * ARGV: checks count, then (key index, expected text or '' for absent) per check;
 *       writes count, then (key index, text, member, family key index or 0, new 1|0, end or '' for none) per write.
 * `end` is when no rule needs the record any more (forgetAt, sandbox ms): the `ends` sorted set is what pruning reads.
 * Returns 1 when committed, 0 when something read had changed (the caller reads again and retries).
 */
export const COMMIT_TOKENS = `
local p = 1
local checks = tonumber(ARGV[p]); p = p + 1
for i = 1, checks do
  local cur = redis.call('GET', KEYS[tonumber(ARGV[p])])
  local want = ARGV[p + 1]
  p = p + 2
  if want == '' then
    if cur then return 0 end
  elseif cur ~= want then
    return 0
  end
end
local writes = tonumber(ARGV[p]); p = p + 1
for i = 1, writes do
  local key = KEYS[tonumber(ARGV[p])]
  local text = ARGV[p + 1]
  local member = ARGV[p + 2]
  local fam = tonumber(ARGV[p + 3])
  local fresh = ARGV[p + 4] == '1'
  local ends = ARGV[p + 5]
  p = p + 6
  redis.call('SET', key, text)
  if fresh then
    redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), member)
    if fam > 0 then redis.call('SADD', KEYS[fam], member) end
  end
  if ends == '' then redis.call('ZREM', KEYS[3], member) else redis.call('ZADD', KEYS[3], ends, member) end
end
return 1
`;

/**
 * Forget records no rule needs any more: KEYS: ends, order; ARGV: the latest end to forget (now less the
 * retention), at most how many, the prefix of record keys, the prefix of family keys. Returns how many went.
 */
export const PRUNE_TOKENS = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local key = ARGV[3] .. member
  local text = redis.call('GET', key)
  if text then
    local ok, rec = pcall(cjson.decode, text)
    if ok and type(rec) == 'table' and type(rec.family) == 'string' then redis.call('SREM', ARGV[4] .. rec.family, member) end
    redis.call('DEL', key)
  end
  redis.call('ZREM', KEYS[2], member)
  redis.call('ZREM', KEYS[1], member)
end
return #due
`;

/** KEYS: hash; ARGV: field, expected text ('' = absent), new text. 1 when set, 0 when the field had changed. */
export const SET_FIELD_IF = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

/**
 * A journal entry: KEYS: list, id counter; ARGV: the entry's JSON without its id, the cap, the channel,
 * the origin. The id is global across processes; the entry is published for every dashboard.
 */
export const RECORD_ENTRY = `
local id = redis.call('INCR', KEYS[2])
local text = '{"id":' .. id .. ',' .. string.sub(ARGV[1], 2)
redis.call('LPUSH', KEYS[1], text)
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PUBLISH', ARGV[3], '{"origin":"' .. ARGV[4] .. '","journal":' .. text .. '}')
return id
`;

/** A fault rule's fire, bounded by `times`: KEYS: counters hash; ARGV: field, times. 1 when it may fire. */
export const FIRE_WITHIN = `
local fired = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if fired >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
`;

/** A new session within the cap: KEYS: sessions hash; ARGV: id, created at, cap. 1 created, 0 taken, -1 full. */
export const CREATE_SESSION = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;
