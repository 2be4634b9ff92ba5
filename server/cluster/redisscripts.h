// The cluster store's Lua scripts. Each runs atomically on the master, so a message,
// its revision, its indexes and the read-state sets never disagree, whatever crashes.
// Keys a script derives from a message (a mentioned user's set, an emoji's reactions)
// are built from prefixes the C++ side passes (rediskeys.h stays the one key layout);
// that is fine on a single master with replicas, which is what the cluster runs on.
#pragma once

#include <QByteArray>

namespace Confab::Cluster::Scripts {

// KEYS: room hash, message zset, the sender's idempotency hash, rev index, id -> seq,
// live seqs, the sender's own seqs, then the mentioned users' sets.
// ARGV: clientId, the message's JSON without seq and rev (Message::toJson, encoded in
// C++: the message has one shape, written in one place), its id, the room, the file
// references' key prefix, then the ids of the files it carries (each gets "room\nseq").
// Returns {duplicate (0/1), message JSON}; a duplicate answers the message as it is now.
inline const QByteArray append = R"lua(
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then
  local old = cjson.decode(existing)
  if old.room == ARGV[4] then
    local current = redis.call('ZRANGEBYSCORE', KEYS[2], old.seq, old.seq)[1]
    if current then return {1, current} end
  end
  return {1, existing}
end
local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
local rev = redis.call('HINCRBY', KEYS[1], 'lastRev', 1)
local message = '{"seq":' .. seq .. ',"rev":' .. rev .. ',' .. string.sub(ARGV[2], 2)
redis.call('ZADD', KEYS[2], seq, message)
redis.call('HSET', KEYS[3], ARGV[1], message)
redis.call('ZADD', KEYS[4], rev, ARGV[3])
redis.call('HSET', KEYS[5], ARGV[3], seq)
for i = 6, #KEYS do redis.call('ZADD', KEYS[i], seq, seq) end
for i = 6, #ARGV do redis.call('SADD', ARGV[5] .. ARGV[i], ARGV[4] .. '\n' .. seq) end
return {0, message}
)lua";

// KEYS: the record's hash, the index set, optionally a second set (the directory, for
// a public room). ARGV: name, then field/value pairs.
// Creates the record only if it does not exist: 1 created, 0 taken.
inline const QByteArray create = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
if KEYS[3] then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
)lua";

// KEYS: the room's members set, its roles hash. ARGV: user, role. 0 when the user is not
// a member. A new owner takes over: the old one becomes a moderator in the same step.
inline const QByteArray setRole = R"lua(
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == 'owner' then
  local roles = redis.call('HGETALL', KEYS[2])
  for i = 1, #roles, 2 do
    if roles[i + 1] == 'owner' and roles[i] ~= ARGV[1] then redis.call('HSET', KEYS[2], roles[i], 'moderator') end
  end
end
if ARGV[2] == 'member' then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
return 1
)lua";

// Data layout v3, per room: a visibility (a v2 room is public unless direct, and listed
// in the directory) and an owner: the sender of its first message if still a member,
// else its first member by name (sets keep no join order). KEYS: room hash, members,
// roles, messages, directory. ARGV: the room's name. Idempotent.
inline const QByteArray migrateRoles = R"lua(
if redis.call('HEXISTS', KEYS[1], 'visibility') == 1 then return 0 end
if redis.call('HGET', KEYS[1], 'direct') == '1' then
  redis.call('HSET', KEYS[1], 'visibility', 'private')
  return 1
end
if redis.call('HLEN', KEYS[3]) == 0 then
  local owner = nil
  local first = redis.call('ZRANGE', KEYS[4], 0, 0)
  if #first == 1 then
    local from = cjson.decode(first[1]).from
    if from and redis.call('SISMEMBER', KEYS[2], from) == 1 then owner = from end
  end
  if not owner then
    local members = redis.call('SMEMBERS', KEYS[2])
    table.sort(members)
    owner = members[1]
  end
  if owner then redis.call('HSET', KEYS[3], owner, 'owner') end
end
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('HSET', KEYS[1], 'visibility', 'public')
return 1
)lua";

// KEYS: the room's receipts hash. ARGV: field, seq. Receipts only move forward.
inline const QByteArray receipt = R"lua(
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
)lua";

// An edit, delete or reaction. The stored JSON is decoded with cjson, changed and
// encoded again: the message stays one document (what history and updates read), and
// Message::fromJson/toJson normalise it on the way out.
// KEYS: room hash, message zset, rev index, id -> seq, live seqs.
// ARGV: kind (edit, delete, react), id, user, may delete others (0/1), text, mentions
// (JSON array), emoji, on (0/1), editedAt, own/mention/reaction key prefixes,
// MaxDistinctReactions, MaxReactionUsersListed, the files gc's orphaned set.
// Returns {outcome, message JSON}: changed, same, not_found, forbidden, conflict, too_large.
inline const QByteArray change = R"lua(
local seq = redis.call('HGET', KEYS[4], ARGV[2])
if not seq then return {'not_found', ''} end
local stored = redis.call('ZRANGEBYSCORE', KEYS[2], seq, seq)[1]
if not stored then return {'not_found', ''} end
local m = cjson.decode(stored)
local user = ARGV[3]
local function list(t) if t == nil or t == cjson.null then return {} end return t end
local function set(names) local s = {} for _, n in ipairs(names) do s[n] = true end return s end

local function edit()
  if m.from ~= user then return 'forbidden' end
  if m.deleted then return 'conflict' end
  if m.text == ARGV[5] then return 'same' end -- mentions follow from the text
  local old, new = list(m.mentions), cjson.decode(ARGV[6])
  local oldSet, newSet = set(old), set(new)
  for _, n in ipairs(old) do if not newSet[n] then redis.call('ZREM', ARGV[11] .. n, seq) end end
  for _, n in ipairs(new) do
    if not oldSet[n] and n ~= m.from then redis.call('ZADD', ARGV[11] .. n, seq, seq) end
  end
  m.text, m.editedAt = ARGV[5], tonumber(ARGV[9])
  m.mentions = #new > 0 and new or nil
  return 'changed'
end

local function delete()
  if m.from ~= user and ARGV[4] ~= '1' then return 'forbidden' end
  if m.deleted then return 'same' end
  redis.call('ZREM', KEYS[5], seq)
  redis.call('ZREM', ARGV[10] .. m.from, seq)
  for _, n in ipairs(list(m.mentions)) do redis.call('ZREM', ARGV[11] .. n, seq) end
  for _, r in ipairs(list(m.reactions)) do redis.call('DEL', ARGV[12] .. r.emoji) end
  for _, a in ipairs(list(m.attachments)) do -- gc candidates: the files and their thumbnails
    redis.call('SADD', ARGV[15], a.id)
    if a.thumbnail then redis.call('SADD', ARGV[15], a.thumbnail) end
  end
  m.deleted, m.text, m.editedAt, m.replyTo, m.mentions, m.reactions = true, '', nil, nil, nil, nil
  m.attachments = nil
  return 'changed'
end

-- Each emoji's users in a zset scored by the rev that added them: first-reaction order.
local function react()
  if m.deleted then return 'conflict' end
  local key, on = ARGV[12] .. ARGV[7], ARGV[8] == '1'
  if on == (redis.call('ZSCORE', key, user) ~= false) then return 'same' end
  local reactions, index = list(m.reactions), nil
  for i, r in ipairs(reactions) do if r.emoji == ARGV[7] then index = i end end
  if on then
    if not index then
      if #reactions >= tonumber(ARGV[13]) then return 'too_large' end
      table.insert(reactions, {emoji = ARGV[7]})
      index = #reactions
    end
    local nextRev = tonumber(redis.call('HGET', KEYS[1], 'lastRev') or '0') + 1
    redis.call('ZADD', key, nextRev, user)
  else
    redis.call('ZREM', key, user)
  end
  local count = redis.call('ZCARD', key)
  if index and count == 0 then
    table.remove(reactions, index)
  elseif index then
    reactions[index].count = count
    reactions[index].users = redis.call('ZRANGE', key, 0, tonumber(ARGV[14]) - 1)
  end
  m.reactions = #reactions > 0 and reactions or nil
  return 'changed'
end

local kinds = {edit = edit, delete = delete, react = react}
local outcome = kinds[ARGV[1]]()
if outcome ~= 'changed' then return {outcome, stored} end
m.rev = redis.call('HINCRBY', KEYS[1], 'lastRev', 1)
local json = cjson.encode(m)
redis.call('ZREMRANGEBYSCORE', KEYS[2], seq, seq)
redis.call('ZADD', KEYS[2], seq, json)
redis.call('ZADD', KEYS[3], m.rev, ARGV[2])
return {'changed', json}
)lua";

// KEYS: rev index, id -> seq, message zset. ARGV: afterRev, limit.
// The messages whose rev is above afterRev, ascending rev.
inline const QByteArray updates = R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
local out = {}
for _, id in ipairs(ids) do
  local seq = redis.call('HGET', KEYS[2], id)
  local message = seq and redis.call('ZRANGEBYSCORE', KEYS[3], seq, seq)[1]
  if message then table.insert(out, message) end
end
return out
)lua";

// KEYS: id -> seq, message zset. ARGV: id. The message's JSON, or nil.
inline const QByteArray message = R"lua(
local seq = redis.call('HGET', KEYS[1], ARGV[1])
if not seq then return false end
return redis.call('ZRANGEBYSCORE', KEYS[2], seq, seq)[1] or false
)lua";

// KEYS: room hash, read seqs, read times, live seqs, the user's own seqs, the user's
// mentions. ARGV: user, seq (0: only read). Moves the read position forward (never past
// the last message) and returns {readSeq, unread, mentions, lastSeq}: counts, not scans. Read
// times are a per-room counter, not clocks: strictly ordered, whatever node's clock.
inline const QByteArray readState = R"lua(
local lastSeq = tonumber(redis.call('HGET', KEYS[1], 'lastSeq') or '0')
local readSeq = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local wanted = math.min(tonumber(ARGV[2]), lastSeq)
if wanted > readSeq then
  readSeq = wanted
  redis.call('HSET', KEYS[2], ARGV[1], readSeq)
  local latest = redis.call('ZREVRANGE', KEYS[3], 0, 0, 'WITHSCORES')[2]
  redis.call('ZADD', KEYS[3], tonumber(latest or '0') + 1, ARGV[1])
end
local after = '(' .. readSeq
local unread = redis.call('ZCOUNT', KEYS[4], after, '+inf') - redis.call('ZCOUNT', KEYS[5], after, '+inf')
return {readSeq, unread, redis.call('ZCOUNT', KEYS[6], after, '+inf'), lastSeq}
)lua";

// KEYS: read times, read seqs. ARGV: limit. {user, readSeq, ...}, most recent first.
inline const QByteArray readPositions = R"lua(
local out = {}
for _, user in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)) do
  table.insert(out, user)
  table.insert(out, redis.call('HGET', KEYS[2], user) or '0')
end
return out
)lua";

// v1 -> v2 for one room, atomically; a room that has lastRev is done (v2 rooms get it
// when created), so running it again, or on two nodes at once, changes nothing.
// Old messages get rev = seq; the indexes and read-state sets are built from them, and
// v1 read receipts become read positions (read time unknown: 0, the oldest).
// KEYS: room hash, message zset, rev index, id -> seq, live seqs, receipts, read seqs,
// read times. ARGV: own and mention key prefixes. Returns 1 migrated, 0 already done.
inline const QByteArray migrateRoom = R"lua(
if redis.call('HEXISTS', KEYS[1], 'lastRev') == 1 then return 0 end
local all = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  local json, seq = all[i], all[i + 1]
  local m = cjson.decode(json)
  if m.rev == nil then
    redis.call('ZREM', KEYS[2], json)
    redis.call('ZADD', KEYS[2], seq, '{"rev":' .. seq .. ',' .. string.sub(json, 2))
  end
  redis.call('ZADD', KEYS[3], m.rev or seq, m.id)
  redis.call('HSET', KEYS[4], m.id, seq)
  if not m.deleted then
    redis.call('ZADD', KEYS[5], seq, seq)
    redis.call('ZADD', ARGV[1] .. m.from, seq, seq)
    if type(m.mentions) == 'table' then
      for _, n in ipairs(m.mentions) do
        if n ~= m.from then redis.call('ZADD', ARGV[2] .. n, seq, seq) end
      end
    end
  end
end
local receipts = redis.call('HGETALL', KEYS[6])
for i = 1, #receipts, 2 do
  local user = string.match(receipts[i], '^(.*):read$')
  if user then
    redis.call('HSET', KEYS[7], user, receipts[i + 1])
    redis.call('ZADD', KEYS[8], 'NX', 0, user)
  end
end
redis.call('HSET', KEYS[1], 'lastRev', redis.call('HGET', KEYS[1], 'lastSeq') or 0)
return 1
)lua";

// Whether a user may download a file: a member of a room where a message that is not
// deleted carries it. KEYS: the file's references ("room\nseq"). ARGV: the user, the
// member-set and message-zset key prefixes.
inline const QByteArray mayAccessFile = R"lua(
for _, ref in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local cut = string.find(ref, '\n', 1, true)
  local room, seq = string.sub(ref, 1, cut - 1), string.sub(ref, cut + 1)
  if redis.call('SISMEMBER', ARGV[2] .. room, ARGV[1]) == 1 then
    local message = redis.call('ZRANGEBYSCORE', ARGV[3] .. room, seq, seq)[1]
    if message and not cjson.decode(message).deleted then return 1 end
  end
end
return 0
)lua";

// An upload's record, and the uploader's usage counted once per content.
// KEYS: the file's hash, the uploader's contents (sha256 -> size), their usage counter,
// their records per content, the unsent zset, the usage ranking, the records per content
// over all users, the totals. ARGV: sha256, size, createdAt, id, uploader, then the
// record's field/value pairs. Returns 0 if the id exists.
inline const QByteArray addFile = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local sha, size = ARGV[1], tonumber(ARGV[2])
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('HINCRBY', KEYS[4], sha, 1)
if redis.call('HSETNX', KEYS[2], sha, size) == 1 then
  redis.call('INCRBY', KEYS[3], size)
  redis.call('ZINCRBY', KEYS[6], size, ARGV[5])
end
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
if redis.call('HINCRBY', KEYS[7], sha, 1) == 1 then
  redis.call('HINCRBY', KEYS[8], 'contents', 1)
  redis.call('HINCRBY', KEYS[8], 'bytes', size)
end
redis.call('HINCRBY', KEYS[8], 'records', 1)
return 1
)lua";

// One gc candidate: forgotten when it was created before createdBefore, no live message
// carries it, and either a (deleted)
// message did or it is older than abandonedBefore; otherwise it leaves the candidate sets
// it no longer belongs in. KEYS: the file's hash, its references, the unsent zset, the
// orphaned set, the records per content, the totals, the usage ranking.
// ARGV: id, abandonedBefore, the messages/contents/usage/content-records key prefixes,
// createdBefore.
// Returns {1, sha256 whose last record went or ''} when forgotten, {0} when kept.
inline const QByteArray collectFile = R"lua(
local id = ARGV[1]
local refs = redis.call('SMEMBERS', KEYS[2])
for _, ref in ipairs(refs) do
  local cut = string.find(ref, '\n', 1, true)
  local room, seq = string.sub(ref, 1, cut - 1), string.sub(ref, cut + 1)
  local message = redis.call('ZRANGEBYSCORE', ARGV[3] .. room, seq, seq)[1]
  if message and not cjson.decode(message).deleted then
    redis.call('ZREM', KEYS[3], id)
    redis.call('SREM', KEYS[4], id)
    return {0}
  end
end
local f = redis.call('HMGET', KEYS[1], 'sha256', 'size', 'uploader', 'createdAt')
if not f[1] then
  redis.call('ZREM', KEYS[3], id)
  redis.call('SREM', KEYS[4], id)
  return {0}
end
if tonumber(f[4]) >= tonumber(ARGV[7]) then return {0} end -- too recent: a later pass
if #refs == 0 and tonumber(f[4]) >= tonumber(ARGV[2]) then return {0} end
local sha, size, user = f[1], tonumber(f[2]), f[3]
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], id)
redis.call('SREM', KEYS[4], id)
redis.call('HINCRBY', KEYS[6], 'records', -1)
if redis.call('HINCRBY', ARGV[6] .. user, sha, -1) <= 0 then
  redis.call('HDEL', ARGV[6] .. user, sha)
  if redis.call('HDEL', ARGV[4] .. user, sha) == 1 then
    redis.call('DECRBY', ARGV[5] .. user, size)
    redis.call('ZINCRBY', KEYS[7], -size, user)
  end
end
if redis.call('HINCRBY', KEYS[5], sha, -1) <= 0 then
  redis.call('HDEL', KEYS[5], sha)
  redis.call('HINCRBY', KEYS[6], 'contents', -1)
  redis.call('HINCRBY', KEYS[6], 'bytes', -size)
  return {1, sha}
end
return {1, ''}
)lua";

} // namespace Confab::Cluster::Scripts
