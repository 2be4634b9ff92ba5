#include "cluster/redisstore.h"

#include "cluster/rediskeys.h"
#include "util/ids.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>
#include <memory>

namespace Confab::Cluster {

using Redis::Command;
using Redis::RedisReply;

namespace {

// KEYS: room hash, message zset, the sender's idempotency hash.
// ARGV: clientId, the message's JSON without its seq (Message::toJson, encoded in C++:
// the message has one shape, written in one place). Returns {duplicate (0/1), message JSON}.
const QByteArray appendScript = R"lua(
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then return {1, existing} end
local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
local message = '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2)
redis.call('ZADD', KEYS[2], seq, message)
redis.call('HSET', KEYS[3], ARGV[1], message)
return {0, message}
)lua";

// KEYS: the record's hash, the index set. ARGV: name, then field/value pairs.
// Creates the record only if it does not exist: 1 created, 0 taken.
const QByteArray createScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return 1
)lua";

// KEYS: the room's receipts hash. ARGV: field, seq. Receipts only move forward.
const QByteArray receiptScript = R"lua(
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
)lua";

QByteArray utf8(const QString &text)
{
    return text.toUtf8();
}

std::optional<Chat::Message> messageFromJson(const QByteArray &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    if (object.isEmpty())
        return std::nullopt;
    return Chat::Message::fromJson(object);
}

// What the append script stores, less the seq it assigns.
QByteArray draftJson(Chat::Message draft, const QByteArray &id, qint64 ts)
{
    draft.id = id;
    draft.ts = ts;
    QJsonObject json = draft.toJson();
    json.remove(QStringLiteral("seq"));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QStringList sortedStrings(const std::optional<RedisReply> &reply)
{
    QStringList result;
    if (!reply)
        return result;
    for (const RedisReply &element : reply->elements)
        result.append(element.toString());
    result.sort();
    return result;
}

} // namespace

RedisStore::RedisStore(Redis::RedisConnection *redis, const RedisStoreOptions &options, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_options(options)
    , m_appendScript(redis->addScript(appendScript))
    , m_createScript(redis->addScript(createScript))
    , m_receiptScript(redis->addScript(receiptScript))
{
}

std::optional<Chat::UserRecord> RedisStore::findUser(const QString &name)
{
    const auto reply = m_redis->command({ "HMGET", Keys::user(name), "hash", "disabled", "createdAt" });
    if (!reply || reply->elements.size() != 3 || reply->elements.at(0).isNil())
        return std::nullopt;
    return Chat::UserRecord { name, reply->elements.at(0).string, reply->elements.at(1).toInteger() != 0,
                              reply->elements.at(2).toInteger() };
}

bool RedisStore::createUser(const Chat::UserRecord &user)
{
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_createScript, { Keys::user(user.name), Keys::users() },
                               { utf8(user.name), "hash", user.passwordHash, "disabled", user.disabled ? "1" : "0",
                                 "createdAt", QByteArray::number(user.createdAt) }));
    return reply && reply->integer == 1;
}

bool RedisStore::setUserDisabled(const QString &name, bool disabled)
{
    if (!findUser(name))
        return false;
    const auto reply = m_redis->command({ "HSET", Keys::user(name), "disabled", disabled ? "1" : "0" });
    return reply && !reply->isError();
}

QList<Chat::UserRecord> RedisStore::users()
{
    QList<Chat::UserRecord> result;
    for (const QString &name : sortedStrings(m_redis->command({ "SMEMBERS", Keys::users() }))) {
        if (auto user = findUser(name))
            result.append(*user);
    }
    return result;
}

std::optional<Chat::RoomRecord> RedisStore::findRoom(const QString &name)
{
    const auto records = roomRecords({ name });
    if (records.isEmpty())
        return std::nullopt;
    return records.first();
}

QList<Chat::RoomRecord> RedisStore::roomRecords(const QStringList &names)
{
    QList<Command> commands;
    for (const QString &name : names)
        commands.append({ "HMGET", Keys::room(name), "topic", "direct", "lastSeq", "createdAt" });
    QList<Chat::RoomRecord> result;
    const auto replies = commands.isEmpty() ? std::nullopt : m_redis->pipeline(commands);
    if (!replies)
        return result;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const RedisReply &reply = replies->at(i);
        if (reply.elements.size() != 4 || reply.elements.at(3).isNil()) // createdAt marks a created room
            continue;
        result.append({ names.at(i), reply.elements.at(0).toString(), reply.elements.at(1).toInteger() != 0,
                        reply.elements.at(2).toInteger() });
    }
    return result;
}

bool RedisStore::createRoom(const Chat::RoomRecord &room)
{
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_createScript, { Keys::room(room.name), Keys::rooms() },
                               { utf8(room.name), "topic", utf8(room.topic), "direct", room.isDirect ? "1" : "0",
                                 "createdAt", QByteArray::number(QDateTime::currentMSecsSinceEpoch()) }));
    return reply && reply->integer == 1;
}

QList<Chat::RoomRecord> RedisStore::rooms()
{
    return roomRecords(sortedStrings(m_redis->command({ "SMEMBERS", Keys::rooms() })));
}

bool RedisStore::addMember(const QString &room, const QString &user)
{
    const auto replies = m_redis->pipeline(
        { { "SADD", Keys::members(room), utf8(user) }, { "SADD", Keys::roomsOf(user), utf8(room) } });
    return replies && replies->at(0).integer == 1;
}

bool RedisStore::removeMember(const QString &room, const QString &user)
{
    const auto replies = m_redis->pipeline(
        { { "SREM", Keys::members(room), utf8(user) }, { "SREM", Keys::roomsOf(user), utf8(room) } });
    return replies && replies->at(0).integer == 1;
}

bool RedisStore::isMember(const QString &room, const QString &user)
{
    const auto reply = m_redis->command({ "SISMEMBER", Keys::members(room), utf8(user) });
    return reply && reply->integer == 1;
}

QStringList RedisStore::members(const QString &room)
{
    return sortedStrings(m_redis->command({ "SMEMBERS", Keys::members(room) }));
}

qsizetype RedisStore::memberCount(const QString &room)
{
    const auto reply = m_redis->command({ "SCARD", Keys::members(room) });
    return reply ? qsizetype(reply->integer) : 0;
}

QList<Chat::RoomRecord> RedisStore::roomsOf(const QString &user)
{
    return roomRecords(sortedStrings(m_redis->command({ "SMEMBERS", Keys::roomsOf(user) })));
}

void RedisStore::append(const Chat::Message &draft, AppendCallback callback)
{
    m_pending.append({ draft, std::move(callback) });
    m_flush.schedule();
}

void RedisStore::flushAppends()
{
    const QList<PendingAppend> batch = std::exchange(m_pending, {});
    if (batch.isEmpty())
        return;
    QList<Command> commands;
    commands.reserve(batch.size() + 1);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const PendingAppend &pending : batch) {
        const Chat::Message &draft = pending.draft;
        commands.append(
            m_redis->scriptCommand(m_appendScript,
                                   { Keys::room(draft.room), Keys::messages(draft.room), Keys::sent(draft.from) },
                                   { utf8(draft.clientId), draftJson(draft, randomId(), now) }));
    }
    if (m_options.waitReplicas > 0)
        commands.append(
            { "WAIT", QByteArray::number(m_options.waitReplicas), QByteArray::number(m_options.waitTimeoutMs) });
    ++m_batches;
    // Sent without blocking; the batch is answered when its last reply arrives (replies
    // come in order, and a lost connection answers every outstanding one with nothing).
    auto replies = std::make_shared<QList<std::optional<RedisReply>>>(commands.size());
    auto remaining = std::make_shared<qsizetype>(commands.size());
    for (qsizetype i = 0; i < commands.size(); ++i) {
        m_redis->commandAsync(commands.at(i),
                              [this, batch, replies, remaining, i](const std::optional<RedisReply> &reply) {
                                  (*replies)[i] = reply;
                                  if (--*remaining == 0)
                                      finishBatch(batch, *replies);
                              });
    }
}

void RedisStore::finishBatch(const QList<PendingAppend> &batch, const QList<std::optional<RedisReply>> &replies)
{
    // Durable means: the message's script ran and, if asked, enough replicas have the batch.
    bool replicated = true;
    if (m_options.waitReplicas > 0) {
        const auto &wait = replies.last();
        replicated = wait && wait->integer >= m_options.waitReplicas;
        if (wait && !replicated)
            ++m_replicationShortfalls;
    }
    for (qsizetype i = 0; i < batch.size(); ++i) {
        AppendResult result;
        const auto &reply = replies.at(i);
        if (replicated && reply && reply->elements.size() == 2) {
            result.isDuplicate = reply->elements.at(0).integer == 1;
            result.message = messageFromJson(reply->elements.at(1).string);
        }
        batch.at(i).callback(result);
    }
}

QList<Chat::Message> RedisStore::history(const QString &room, std::optional<qint64> afterSeq,
                                         std::optional<qint64> beforeSeq, int limit)
{
    const QByteArray upper = beforeSeq ? "(" + QByteArray::number(*beforeSeq) : QByteArray("+inf");
    const QByteArray count = QByteArray::number(limit);
    const auto reply = afterSeq
        ? m_redis->command(
            { "ZRANGEBYSCORE", Keys::messages(room), "(" + QByteArray::number(*afterSeq), upper, "LIMIT", "0", count })
        : m_redis->command({ "ZREVRANGEBYSCORE", Keys::messages(room), upper, "-inf", "LIMIT", "0", count });
    QList<Chat::Message> result;
    if (!reply)
        return result;
    for (const RedisReply &element : reply->elements) {
        if (auto message = messageFromJson(element.string))
            result.append(*message);
    }
    if (!afterSeq)
        std::reverse(result.begin(), result.end());
    return result;
}

void RedisStore::setReceipt(const QString &room, const QString &user, const QString &kind, qint64 seq)
{
    m_redis->command(m_redis->scriptCommand(m_receiptScript, { Keys::receipts(room) },
                                            { utf8(user) + ':' + utf8(kind), QByteArray::number(seq) }));
}

} // namespace Confab::Cluster
