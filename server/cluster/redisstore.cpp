#include "cluster/redisstore.h"

#include "cluster/redisjson.h"
#include "cluster/rediskeys.h"
#include "cluster/redisscripts.h"
#include "util/ids.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QPointer>

#include <algorithm>
#include <memory>

namespace Confab::Cluster {

using Redis::Command;
using Redis::RedisReply;

namespace {

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
    , m_appendScript(redis->addScript(Scripts::append))
    , m_createScript(redis->addScript(Scripts::create))
    , m_receiptScript(redis->addScript(Scripts::receipt))
    , m_changeScript(redis->addScript(Scripts::change))
    , m_updatesScript(redis->addScript(Scripts::updates))
    , m_messageScript(redis->addScript(Scripts::message))
    , m_readStateScript(redis->addScript(Scripts::readState))
    , m_readPositionsScript(redis->addScript(Scripts::readPositions))
    , m_migrateScript(redis->addScript(Scripts::migrateRoom))
    , m_addFileScript(redis->addScript(Scripts::addFile))
    , m_mayAccessFileScript(redis->addScript(Scripts::mayAccessFile))
    , m_collectFileScript(redis->addScript(Scripts::collectFile))
    , m_setRoleScript(redis->addScript(Scripts::setRole))
    , m_migrateRolesScript(redis->addScript(Scripts::migrateRoles))
{
    // Before any caller's command: a node never works on v1-shaped data.
    connect(redis, &Redis::RedisConnection::upChanged, this, [this](bool up) {
        if (up && !m_migrated)
            m_migrated = migrate();
    });
    m_migrated = redis->isUp() && migrate();
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
        commands.append(
            { "HMGET", Keys::room(name), "topic", "direct", "lastSeq", "createdAt", "lastRev", "visibility" });
    QList<Chat::RoomRecord> result;
    const auto replies = commands.isEmpty() ? std::nullopt : m_redis->pipeline(commands);
    if (!replies)
        return result;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const RedisReply &reply = replies->at(i);
        if (reply.elements.size() != 6 || reply.elements.at(3).isNil()) // createdAt marks a created room
            continue;
        const bool isDirect = reply.elements.at(1).toInteger() != 0;
        const auto visibility = Chat::visibilityFromName(reply.elements.at(5).toString());
        result.append({ names.at(i), reply.elements.at(0).toString(), isDirect, reply.elements.at(2).toInteger(),
                        reply.elements.at(4).toInteger(),
                        visibility.value_or(isDirect ? Chat::Visibility::Private : Chat::Visibility::Public),
                        reply.elements.at(3).toInteger() });
    }
    return result;
}

bool RedisStore::createRoom(const Chat::RoomRecord &room)
{
    const bool isPublic = !room.isDirect && room.visibility == Chat::Visibility::Public;
    QList<QByteArray> keys { Keys::room(room.name), Keys::rooms() };
    if (isPublic)
        keys.append(Keys::directory());
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_createScript, keys,
                               { utf8(room.name), "topic", utf8(room.topic), "direct", room.isDirect ? "1" : "0",
                                 "createdAt",
                                 QByteArray::number(room.createdAt > 0 ? room.createdAt
                                                                       : QDateTime::currentMSecsSinceEpoch()),
                                 "lastSeq", "0", "lastRev", "0", // lastRev: a v2 room, nothing to migrate
                                 "visibility", isPublic ? "public" : "private" }));
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
    const auto replies = m_redis->pipeline({ { "SREM", Keys::members(room), utf8(user) },
                                             { "SREM", Keys::roomsOf(user), utf8(room) },
                                             { "HDEL", Keys::roles(room), utf8(user) } });
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
    const QByteArray id = randomId();
    QList<QByteArray> keys { Keys::room(draft.room),
                             Keys::messages(draft.room),
                             Keys::sent(draft.from),
                             Keys::revisions(draft.room),
                             Keys::messageIds(draft.room),
                             Keys::liveSeqs(draft.room),
                             Keys::ownSeqs(draft.room, draft.from) };
    for (const QString &user : draft.mentions) {
        if (user != draft.from) // one's own messages are never unread, so never a mention
            keys.append(Keys::mentionSeqs(draft.room, user));
    }
    QList<QByteArray> arguments { utf8(draft.clientId), draftJson(draft, id, QDateTime::currentMSecsSinceEpoch()), id,
                                  utf8(draft.room), Keys::fileReferences({}) };
    for (const Chat::Attachment &attachment : draft.attachments) {
        for (const QByteArray &file : { attachment.id, attachment.thumbnail }) {
            if (!file.isEmpty())
                arguments.append(file);
        }
    }
    Command command = m_redis->scriptCommand(m_appendScript, keys, arguments);
    queueWrite(std::move(command), [callback = std::move(callback)](const std::optional<RedisReply> &reply) {
        AppendResult result;
        if (reply && reply->elements.size() == 2) {
            result.isDuplicate = reply->elements.at(0).integer == 1;
            result.message = messageFromJson(reply->elements.at(1).string);
        }
        callback(result);
    });
}

void RedisStore::queueWrite(Command command, std::function<void(const std::optional<RedisReply> &)> finish)
{
    m_pending.append({ std::move(command), std::move(finish) });
    m_flush.schedule();
}

void RedisStore::flushWrites()
{
    const QList<PendingWrite> batch = std::exchange(m_pending, {});
    if (batch.isEmpty())
        return;
    QList<Command> commands;
    commands.reserve(batch.size() + 1);
    for (const PendingWrite &pending : batch)
        commands.append(pending.command);
    if (m_options.waitReplicas > 0)
        commands.append(
            { "WAIT", QByteArray::number(m_options.waitReplicas), QByteArray::number(m_options.waitTimeoutMs) });
    ++m_batches;
    // Sent without blocking; the batch is answered when its last reply arrives (replies
    // come in order, and a lost connection answers every outstanding one with nothing).
    auto replies = std::make_shared<QList<std::optional<RedisReply>>>(commands.size());
    auto remaining = std::make_shared<qsizetype>(commands.size());
    for (qsizetype i = 0; i < commands.size(); ++i) {
        // The connection may outlive the store and fail what is outstanding when it closes.
        m_redis->commandAsync(commands.at(i),
                              [self = QPointer<RedisStore>(this), batch, replies, remaining,
                               i](const std::optional<RedisReply> &reply) {
                                  (*replies)[i] = reply;
                                  if (--*remaining == 0 && self)
                                      self->finishBatch(batch, *replies);
                              });
    }
}

void RedisStore::finishBatch(const QList<PendingWrite> &batch, const QList<std::optional<RedisReply>> &replies)
{
    // Durable means: the script ran and, if asked, enough replicas have the batch.
    bool replicated = true;
    if (m_options.waitReplicas > 0) {
        const auto &wait = replies.last();
        replicated = wait && wait->integer >= m_options.waitReplicas;
        if (wait && !replicated)
            ++m_replicationShortfalls;
    }
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const auto &reply = replies.at(i);
        batch.at(i).finish(replicated && reply && !reply->isError() ? reply : std::nullopt);
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
    QList<Chat::Message> result = messagesFrom(reply);
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
