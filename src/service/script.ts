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
 *
 * - `n<nonce>` (string, expires): the receipt of one call that writes (`add`, `put`, `remove`, `echo`), passed as
 *   KEYS[2] with a random nonce per call and its lifetime in milliseconds as the last argument: the call's reply,
 *   MessagePack-packed. A call sent again with the same nonce (ioredis re-sends commands whose reply was lost with
 *   the connection; the detector re-sends on node-redis) answers with that reply and changes nothing, instead of
 *   finding its own documents already stored. Replies that carry candidates keep only their (segment, ordinal)
 *   pairs; the records are read again on a re-send (records never change), so a receipt stays a few bytes per
 *   document.
 *
 * A segment is dropped whole (UNLINK of its keys) once it falls out of the window.
 *
 * `add`, `check` and `put` take any number of documents in one call (one EVALSHA per round of
 * `addMany`): Redis runs one script at a time, so each document is still decided and stored atomically, and the
 * per-call cost (reading `meta` and `segs`, parsing the command) is paid once per call. The band values a lookup
 * read are reused by the insert that follows it, so a new document costs one read and one write per band entry.
 * Internal module, not public API.
 */
export const SCRIPT = `
local meta = KEYS[1]
local base = string.sub(meta, 1, #meta - 4)
local segs = base .. 'segs'
local op = ARGV[1]
-- A call that already ran (same nonce: a re-sent command) answers as it did then.
local receipt = KEYS[2]
if receipt then
  local done = redis.call('GET', receipt)
  if done then
    local reply = cmsgpack.unpack(done)
    if type(reply) == 'table' then
      -- Candidates were kept as (segment, ordinal) pairs: their records are read again (a record never changes;
      -- one removed since is left out, and the caller's next call sees what is stored then).
      for i, r in ipairs(reply) do
        if r[1] == 2 then
          local full = {2}
          for j = 2, #r, 2 do
            local rec = redis.call('HGET', string.sub(meta, 1, #meta - 4) .. 's' .. r[j] .. ':d', struct.pack('>I4', r[j + 1]))
            if rec then full[#full + 1] = r[j]; full[#full + 1] = r[j + 1]; full[#full + 1] = rec end
          end
          reply[i] = full
        end
      end
    end
    return reply
  end
end
local function answer(reply)
  if receipt then
    local kept = reply
    if type(reply) == 'table' then
      kept = {}
      for i, r in ipairs(reply) do
        if r[1] == 2 then
          local refs = {2}
          for j = 2, #r, 3 do refs[#refs + 1] = r[j]; refs[#refs + 1] = r[j + 1] end
          kept[i] = refs
        else
          kept[i] = r
        end
      end
    end
    redis.call('SET', receipt, cmsgpack.pack(kept), 'PX', ARGV[#ARGV])
  end
  return reply
end
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
-- The next ordinal, counted here and written back once at the end (a script that has written cannot fail midway).
local nextOrd = tonumber(cfg[6])
local firstOrd = nextOrd

-- The small hash b (a number, or its decimal digits: the client sends them, formatting a number is slow here) of a
-- segment; the prefix is built once per segment and call.
local hprefix = {}
local function hkey(seg, b)
  local p = hprefix[seg]
  if not p then
    p = base .. 's' .. seg .. ':h'
    hprefix[seg] = p
  end
  return p .. b
end
local bucketName -- (d, k): defined with the documents' parsing below
local dkeys = {}
local function dkey(seg)
  local k = dkeys[seg]
  if not k then
    k = base .. 's' .. seg .. ':d'
    dkeys[seg] = k
  end
  return k
end
local function bucket(s, i) return (string.byte(s, i) * 256 + string.byte(s, i + 1)) % buckets end
local function ord4(n) return struct.pack('>I4', n) end
local function unord(s, i) return (struct.unpack('>I4', s, i)) end

-- The current segment (cur, named curName) and the live segments; segments older than cur - keep are dropped
-- whole. Recomputed before each document: in a documents window, the documents of one call may cross a segment.
local now = 0
if wmode == 'ms' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local cur, curName, curLive, live
local function advance()
  local c = 0
  if wmode == 'documents' then c = math.floor(nextOrd / span) elseif wmode == 'ms' then c = math.floor(now / span) end
  if c == cur then return end
  cur = c
  curName = string.format('%.0f', cur)
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
  live = redis.call('ZRANGE', segs, 0, -1)
  curLive = false
  for _, s in ipairs(live) do if s == curName then curLive = true end end
end
advance()

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

local function findExact(key, xb)
  for _, seg in ipairs(live) do
    local v = redis.call('HGET', hkey(seg, xb), 'x' .. key)
    if v then return seg, v end
  end
  return nil
end

-- Stores document d (see nextDoc) in the current segment. looked: its band hash keys, fields and values there, as
-- the lookup just read them, 3 per band from looked[1] on (nil: read them now); exactKnown: the lookup found no exact key (false: look
-- now).
local function insert(d, rec, looked, exactKnown)
  local idField, idB, empty, key, parts = d[2], d[3], d[4], d[5], d[6]
  local o = nextOrd
  nextOrd = nextOrd + 1
  local o4 = ord4(o)
  if not curLive then
    redis.call('ZADD', segs, cur, curName)
    live[#live + 1] = curName
    curLive = true
  end
  redis.call('HSET', dkey(curName), o4, rec)
  redis.call('HSET', hkey(curName, idB), idField, o4)
  if not empty then
    local xb = bucketName(d, 1)
    if exactKnown or not findExact(key, xb) then redis.call('HSET', hkey(curName, xb), 'x' .. key, o4) end
    if looked then
      for i = 1, 3 * (#parts / 5), 3 do redis.call('HSET', looked[i], looked[i + 1], (looked[i + 2] or '') .. o4) end
    else
      for n = 1, #parts / 5 do
        local f = 'b' .. string.sub(parts, 5 * n - 4, 5 * n)
        local hk = hkey(curName, bucketName(d, n + 1))
        redis.call('HSET', hk, f, (redis.call('HGET', hk, f) or '') .. o4)
      end
    end
  end
  return {0, curName, o}
end

local function addEcho(seg, o, key, flag, sim)
  local o4 = ord4(o)
  redis.call('HSET', hkey(seg, bucket(key, 1)), 'e' .. key, o4 .. flag .. sim)
  local rk = hkey(seg, o % buckets)
  redis.call('HSET', rk, 'r' .. o4, (redis.call('HGET', rk, 'r' .. o4) or '') .. key)
end

-- The documents of an add, check or put: ARGV[2] packs them (see runMany in redis-detector.ts), per document six
-- 4-byte little-endian lengths and the six parts: the keys it shares with other documents of the call (4 bytes
-- each), the id field, the ordinals of the candidates already seen (4 bytes each), the decided match, the names of
-- its small hashes (6 bytes each: a length and up to 5 decimal digits; the id's, the exact key's, then one per band
-- entry), and the record (see record.ts; a check sends only its head: flags, exact key and band entries). The exact
-- key and band entries are read from the record, which is copied out only to store it. ARGV[3]: how many entries of
-- each band's bucket a lookup reads, newest first (the in-memory detector's ceil(maxCandidates / bands)).
local blob = ARGV[2] or ''
local perBand = tonumber(ARGV[3]) or 0
local pos = 1
-- A document: {shared keys, id field, id's hash name, empty, exact key, band entries, seen, match, record start,
-- record length, names start}.
local function nextDoc()
  local ns, ni, nseen, nm, nn, nr
  ns, ni, nseen, nm, nn, nr, pos = struct.unpack('<I4I4I4I4I4I4', blob, pos)
  local d = {string.sub(blob, pos, pos + ns - 1), string.sub(blob, pos + ns, pos + ns + ni - 1)}
  pos = pos + ns + ni
  d[7] = string.sub(blob, pos, pos + nseen - 1)
  pos = pos + nseen
  d[8] = string.sub(blob, pos, pos + nm - 1)
  pos = pos + nm
  d[11] = pos
  d[3] = string.sub(blob, pos + 1, pos + string.byte(blob, pos))
  pos = pos + nn
  -- The record: flags (1 = empty text), exact key, band entries.
  d[4] = string.byte(blob, pos) % 2 == 1
  d[5] = string.sub(blob, pos + 1, pos + 8)
  d[6] = string.sub(blob, pos + 11, pos + 10 + 5 * (string.byte(blob, pos + 9) + string.byte(blob, pos + 10) * 256))
  d[9] = pos
  d[10] = nr
  pos = pos + nr
  return d
end
-- The k-th name of document d's small hashes (0: the id's, 1: the exact key's, 1 + n: band entry n's).
bucketName = function(d, k)
  local at = d[11] + 6 * k
  return string.sub(blob, at + 1, at + string.byte(blob, at))
end
local function record(d) return string.sub(blob, d[9], d[9] + d[10] - 1) end

-- The reply of an add that stored its document (a put says where: {0, seg, ordinal}).
local STORED = {0}

-- Scratch of decide, reused from one document to the next (a document has as many band entries as any other, or
-- none): per band entry n, the current segment's hash key, field and value at looked[3n - 2 .. 3n], its field and
-- how many entries of its bucket may still be read.
local looked, fields, left = {}, {}, {}

-- One document of an add or check.
local function decide(isAdd, d)
  local idField, idB, empty, key, parts = d[2], d[3], d[4], d[5], d[6]
  if isAdd and findId(idField, idB) then return {4} end
  local nb = #parts / 5
  local lookedCur = false
  if not empty then
    -- The exact key and the echo of an earlier duplicate live in the same small hash: one read per segment.
    local xb = bucketName(d, 1)
    local echoes = nil
    for _, s in ipairs(live) do
      local v = redis.call('HMGET', hkey(s, xb), 'x' .. key, 'e' .. key)
      if v[1] then return {1, s, unord(v[1], 1), '1', 1, recordId(redis.call('HGET', dkey(s), v[1]))} end
      if v[2] then
        echoes = echoes or {}
        echoes[#echoes + 1] = s; echoes[#echoes + 1] = v[2]
      end
    end
    for i = 1, echoes and #echoes or 0, 2 do
      local s, e = echoes[i], echoes[i + 1]
      local rec = redis.call('HGET', dkey(s), string.sub(e, 1, 4))
      if rec then return {1, s, unord(e, 1), string.sub(e, 6), string.byte(e, 5), recordId(rec)} end
    end
    -- Candidates the caller has not verified yet (seen: their 4-byte ordinals) come back with their records;
    -- nothing changes.
    local seen = {}
    local sargs = d[7]
    for j = 1, #sargs, 4 do seen[string.sub(sargs, j, j + 3)] = true end
    local out = {2}
    for n = 1, nb do
      fields[n] = 'b' .. string.sub(parts, 5 * n - 4, 5 * n)
      left[n] = perBand
    end
    -- Each band's bucket is read newest first (the newest segment first; within a segment the ordinals were appended
    -- in arrival order), at most perBand entries of it, as the in-memory index reads its buckets; entries already
    -- seen count too. The current segment's values are read whatever is left: the insert below reuses them.
    for si = #live, 1, -1 do
      local s = live[si]
      local isCur = s == curName
      for n = 1, nb do
        if isCur or left[n] > 0 then
          local hk = hkey(s, bucketName(d, n + 1))
          local v = redis.call('HGET', hk, fields[n])
          if isCur then
            looked[3 * n - 2] = hk
            looked[3 * n - 1] = fields[n]
            looked[3 * n] = v
            lookedCur = true
          end
          if v then
            local j = #v - 3
            while j >= 1 and left[n] > 0 do
              local o4 = string.sub(v, j, j + 3)
              left[n] = left[n] - 1
              if not seen[o4] then
                seen[o4] = true
                out[#out + 1] = s
                out[#out + 1] = unord(o4, 1)
                out[#out + 1] = redis.call('HGET', dkey(s), o4)
              end
              j = j - 4
            end
          end
        end
      end
    end
    if #out > 1 then return out end
    -- Every candidate is seen: the caller's decided match (the first verified in rank order) wins if it is still
    -- stored; if it was removed meanwhile, the caller decides again without it (reply 5).
    if #d[8] > 0 then for s, o, sim in string.gmatch(d[8], '([^:;]+):(%d+):([^;]+)') do
      local rec = redis.call('HGET', dkey(s), ord4(tonumber(o)))
      if not rec then return {5, tonumber(o)} end
      if isAdd then addEcho(s, tonumber(o), key, '\\0', sim) end
      return {1, s, tonumber(o), sim, 0, recordId(rec)}
    end end
  end
  if not isAdd then return {0} end
  -- Band hashes of the current segment not read above (it has no live keys yet) start empty.
  if not lookedCur then
    for n = 1, nb do
      looked[3 * n - 2] = hkey(curName, bucketName(d, n + 1))
      looked[3 * n - 1] = 'b' .. string.sub(parts, 5 * n - 4, 5 * n)
      looked[3 * n] = false
    end
  end
  insert(d, record(d), looked, true)
  return STORED
end

local function finish(reply)
  if nextOrd ~= firstOrd then redis.call('HSET', meta, 'next', nextOrd) end
  return answer(reply)
end

-- add, check, put: the documents packed in ARGV[2] (see above), in order; a document waits while one of the keys it
-- shares is blocked by an earlier document of this call that waits. Replies, one per document: {0} stored (put:
-- {0, seg, ordinal});
-- {1, seg, ordinal, similarity, exact, id} duplicate; {2, seg, ordinal, record, ...} candidates to verify;
-- {3} deferred (an earlier document that shares a key with it waits for verification, or one was refused);
-- {4} id already stored;
-- {5, ordinal} the decided match is gone.
if op == 'add' or op == 'check' or op == 'put' then
  local replies = {}
  local blocked, refused = {}, false
  while pos <= #blob do
    local d = nextDoc()
    local shared = d[1]
    local wait = refused
    for j = 1, #shared, 4 do
      if wait then break end
      wait = blocked[string.sub(shared, j, j + 3)]
    end
    advance()
    local r
    if wait then
      r = {3}
    elseif op == 'put' then
      if findId(d[2], d[3]) then r = {4}
      else r = insert(d, record(d), nil, false) end
    else
      r = decide(op == 'add', d)
    end
    if r[1] == 4 then refused = true end
    if r[1] == 2 or r[1] == 3 or r[1] == 5 then
      for j = 1, #shared, 4 do blocked[string.sub(shared, j, j + 3)] = true end
    end
    replies[#replies + 1] = r
  end
  return finish(replies)
end

if op == 'echo' then
  addEcho(ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6])
  return answer(1)
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
  if not seg then return answer(0) end
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
  return answer(1)
end

return redis.error_reply('NDUP_OP unknown operation ' .. tostring(op))
`;
