/**
 * The one Lua script behind every operation of {@link RedisNearDuplicateDetector}: each call is one atomic step on
 * the server. Key layout under the base `{prefix}:` (one hash tag, so one Cluster slot):
 *
 * - `meta` (hash): `format`, `options` (JSON), `buckets`, `wmode` (`none` | `documents` | `ms`), `span` (documents
 *   or milliseconds per segment), `keep` (older segments kept besides the current one), `next` (next ordinal).
 * - `segs` (sorted set): live segment numbers, scored by themselves.
 * - `s<seg>:d` (hash): ordinal (4 bytes, big-endian) → document record (see `record.ts`).
 * - `s<seg>:h<bucket>` (`buckets` small hashes per segment, listpack-encoded while small), fields:
 *   `b` + band byte + 4-byte band key → the ordinals (4 bytes each) in that bucket of that band;
 *   `x` + 8-byte exact key → ordinal of the kept document with that normalized text;
 *   `e` + 8-byte exact key → echo: ordinal, exact flag byte, similarity (text) of the match a duplicate got;
 *   `r` + ordinal → the exact keys (8 bytes each) of the echoes pointing at that document (so remove clears them);
 *   `i` + encoded id → ordinal.
 * - `gate:<token>` (string, expires): the batch position whose verification holds back the rest of its batch.
 *
 * A segment is dropped whole (UNLINK of its keys) once it falls out of the window.
 * Internal module, not public API.
 */
export const SCRIPT = `
local meta = KEYS[1]
local base = string.sub(meta, 1, #meta - 4)
local segs = base .. 'segs'
local op = ARGV[1]
if op == 'init' then
  local stored = redis.call('HGET', meta, 'options')
  if stored then return stored end
  redis.call('HSET', meta, 'format', ARGV[2], 'options', ARGV[3], 'buckets', ARGV[4], 'wmode', ARGV[5],
    'span', ARGV[6], 'keep', ARGV[7], 'next', 0)
  return false
end
local cfg = redis.call('HMGET', meta, 'format', 'buckets', 'wmode', 'span', 'keep', 'next')
if not cfg[1] then return redis.error_reply('NDUP_NOINDEX no neardup index at ' .. meta) end
local buckets = tonumber(cfg[2])
local wmode = cfg[3]
local span = tonumber(cfg[4])
local keep = tonumber(cfg[5])

local function hkey(seg, b) return base .. 's' .. seg .. ':h' .. b end
local function dkey(seg) return base .. 's' .. seg .. ':d' end
local function bucket(s, i) return (string.byte(s, i) * 256 + string.byte(s, i + 1)) % buckets end
local function ord4(n) return struct.pack('>I4', n) end
local function unord(s, i) return (struct.unpack('>I4', s, i)) end

-- The current segment; segments older than cur - keep are dropped whole.
local cur = 0
if wmode == 'documents' then
  cur = math.floor(tonumber(cfg[6]) / span)
elseif wmode == 'ms' then
  local t = redis.call('TIME')
  cur = math.floor((tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) / span)
end
if wmode ~= 'none' then
  local old = redis.call('ZRANGEBYSCORE', segs, '-inf', '(' .. string.format('%.0f', cur - keep))
  for _, seg in ipairs(old) do
    local names = {dkey(seg)}
    for b = 0, buckets - 1 do
      names[#names + 1] = hkey(seg, b)
      if #names == 1000 then redis.call('UNLINK', unpack(names)); names = {} end
    end
    if #names > 0 then redis.call('UNLINK', unpack(names)) end
    redis.call('ZREM', segs, seg)
  end
end
local live = redis.call('ZRANGE', segs, 0, -1)

local function findId(field, b)
  for _, seg in ipairs(live) do
    local v = redis.call('HGET', hkey(seg, b), field)
    if v then return seg, v end
  end
  return nil
end

local function recordId(rec)
  local off = 12 + 5 * (string.byte(rec, 10) + string.byte(rec, 11) * 256)
  local len = string.byte(rec, off) + string.byte(rec, off + 1) * 256
  return string.sub(rec, off + 2, off + 1 + len)
end

local function findExact(key)
  local xb = bucket(key, 1)
  for _, seg in ipairs(live) do
    local v = redis.call('HGET', hkey(seg, xb), 'x' .. key)
    if v then return seg, v end
  end
  return nil
end

local function insert(idField, idB, empty, key, parts, rec)
  local o = redis.call('HINCRBY', meta, 'next', 1) - 1
  local seg = string.format('%.0f', cur)
  local o4 = ord4(o)
  redis.call('ZADD', segs, cur, seg)
  redis.call('HSET', dkey(seg), o4, rec)
  redis.call('HSET', hkey(seg, idB), idField, o4)
  if not empty then
    if not findExact(key) then redis.call('HSET', hkey(seg, bucket(key, 1)), 'x' .. key, o4) end
    for i = 1, #parts, 5 do
      local f = 'b' .. string.sub(parts, i, i + 4)
      local hk = hkey(seg, bucket(parts, i + 1))
      redis.call('HSET', hk, f, (redis.call('HGET', hk, f) or '') .. o4)
    end
  end
  return {0, seg, o}
end

local function addEcho(seg, o, key, flag, sim)
  local o4 = ord4(o)
  redis.call('HSET', hkey(seg, bucket(key, 1)), 'e' .. key, o4 .. flag .. sim)
  local rk = hkey(seg, o % buckets)
  redis.call('HSET', rk, 'r' .. o4, (redis.call('HGET', rk, 'r' .. o4) or '') .. key)
end

if op == 'add' or op == 'check' then
  local idField, idB, empty, key, parts = ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[5], ARGV[6]
  local gate = ARGV[10]
  local gkey = base .. 'gate:' .. gate
  if gate ~= '' then
    local g = redis.call('GET', gkey)
    if g and g ~= ARGV[11] then return {3} end
  end
  local function done(reply)
    if gate ~= '' and redis.call('GET', gkey) == ARGV[11] then redis.call('DEL', gkey) end
    return reply
  end
  if op == 'add' and findId(idField, idB) then return done({4}) end
  if not empty then
    local seg, v = findExact(key)
    if seg then return done({1, seg, unord(v, 1), '1', 1, recordId(redis.call('HGET', dkey(seg), v))}) end
    local xb = bucket(key, 1)
    for _, s in ipairs(live) do
      local e = redis.call('HGET', hkey(s, xb), 'e' .. key)
      if e then
        local rec = redis.call('HGET', dkey(s), string.sub(e, 1, 4))
        if rec then return done({1, s, unord(e, 1), string.sub(e, 6), string.byte(e, 5), recordId(rec)}) end
      end
    end
    -- Candidates the caller has not verified yet: returned with their records, nothing changes.
    local seen = {}
    for o in string.gmatch(ARGV[7], '%d+') do seen[o] = true end
    local out = {2}
    for _, s in ipairs(live) do
      for i = 1, #parts, 5 do
        local v = redis.call('HGET', hkey(s, bucket(parts, i + 1)), 'b' .. string.sub(parts, i, i + 4))
        if v then
          for j = 1, #v, 4 do
            local name = tostring(unord(v, j))
            if not seen[name] then
              seen[name] = true
              local o4 = string.sub(v, j, j + 3)
              out[#out + 1] = s
              out[#out + 1] = unord(o4, 1)
              out[#out + 1] = redis.call('HGET', dkey(s), o4)
            end
          end
        end
      end
    end
    if #out > 1 then
      if gate ~= '' then redis.call('SET', gkey, ARGV[11], 'PX', 60000) end
      return out
    end
    -- Every candidate is seen: the caller's decided match (the first verified in rank order) wins if it is still
    -- stored; if it was removed meanwhile, the caller decides again without it (reply 5; the gate stays set).
    for s, o, sim in string.gmatch(ARGV[8], '([^:;]+):(%d+):([^;]+)') do
      local rec = redis.call('HGET', dkey(s), ord4(tonumber(o)))
      if not rec then return {5, tonumber(o)} end
      if op == 'add' then addEcho(s, tonumber(o), key, '\\0', sim) end
      return done({1, s, tonumber(o), sim, 0, recordId(rec)})
    end
  end
  if op == 'check' then return done({0}) end
  return done(insert(idField, idB, empty, key, parts, ARGV[9]))
end

if op == 'put' then
  if findId(ARGV[2], tonumber(ARGV[3])) then return {4} end
  return insert(ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[5], ARGV[6], ARGV[9])
end

if op == 'echo' then
  addEcho(ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6])
  return 1
end

if op == 'has' then
  if findId(ARGV[2], tonumber(ARGV[3])) then return 1 end
  return 0
end

if op == 'size' then
  local n = 0
  for _, seg in ipairs(live) do n = n + redis.call('HLEN', dkey(seg)) end
  return n
end

if op == 'segments' then return live end

if op == 'remove' then
  local idB = tonumber(ARGV[3])
  local seg, o4 = findId(ARGV[2], idB)
  if not seg then return 0 end
  local dk = dkey(seg)
  local rec = redis.call('HGET', dk, o4)
  redis.call('HDEL', dk, o4)
  redis.call('HDEL', hkey(seg, idB), ARGV[2])
  if string.byte(rec, 1) % 2 == 0 then
    local key = string.sub(rec, 2, 9)
    local xk = hkey(seg, bucket(key, 1))
    if redis.call('HGET', xk, 'x' .. key) == o4 then redis.call('HDEL', xk, 'x' .. key) end
    local nb = string.byte(rec, 10) + string.byte(rec, 11) * 256
    for i = 12, 11 + 5 * nb, 5 do
      local f = 'b' .. string.sub(rec, i, i + 4)
      local hk = hkey(seg, bucket(rec, i + 1))
      local v = redis.call('HGET', hk, f)
      if v then
        local rest = {}
        for j = 1, #v, 4 do
          local s = string.sub(v, j, j + 3)
          if s ~= o4 then rest[#rest + 1] = s end
        end
        if #rest == 0 then redis.call('HDEL', hk, f) else redis.call('HSET', hk, f, table.concat(rest)) end
      end
    end
    local rk = hkey(seg, unord(o4, 1) % buckets)
    local echoes = redis.call('HGET', rk, 'r' .. o4)
    if echoes then
      for j = 1, #echoes, 8 do
        local k = string.sub(echoes, j, j + 7)
        redis.call('HDEL', hkey(seg, bucket(k, 1)), 'e' .. k)
      end
      redis.call('HDEL', rk, 'r' .. o4)
    end
  end
  if redis.call('EXISTS', dk) == 0 then redis.call('ZREM', segs, seg) end
  return 1
end

return redis.error_reply('NDUP_OP unknown operation ' .. tostring(op))
`;
