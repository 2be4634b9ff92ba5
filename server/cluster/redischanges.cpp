// The cluster store's v2 messages: changes (edit, delete, reaction) batched with the
// pass's appends, catching up by rev, one message by id, and the v1 -> v2 migration.
#include "cluster/redisjson.h"
#include "cluster/rediskeys.h"
#include "cluster/redisstore.h"

#include "chat/limits.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>

namespace Confab::Cluster {

Q_LOGGING_CATEGORY(lcRedisStore, "confab.cluster.store")

using Redis::Command;
using Redis::RedisReply;
using Kind = Chat::Store::ChangeRequest::Kind;

namespace {

QByteArray kindName(Kind kind)
{
    switch (kind) {
    case Kind::Edit: return "edit";
    case Kind::Delete: return "delete";
    case Kind::React: return "react";
    }
    return {};
}

// The change script's outcome as the Store contract says it.
Chat::Store::ChangeResult changeResult(const std::optional<RedisReply> &reply)
{
    Chat::Store::ChangeResult result;
    if (!reply || reply->elements.size() != 2)
        return result; // the store failed: neither message nor refusal
    const QByteArray outcome = reply->elements.at(0).string;
    using Chat::ErrorCode;
    if (outcome == "not_found")
        result.refusal = Chat::Error { ErrorCode::NotFound, QStringLiteral("no such message in the room") };
    else if (outcome == "forbidden")
        result.refusal = Chat::Error { ErrorCode::Forbidden, QStringLiteral("not your message") };
    else if (outcome == "conflict")
        result.refusal = Chat::Error { ErrorCode::Conflict, QStringLiteral("the message is deleted") };
    else if (outcome == "too_large")
        result.refusal
            = Chat::Error { ErrorCode::TooLarge,
                            QStringLiteral("at most %1 different reactions").arg(Chat::MaxDistinctReactions) };
    if (result.refusal)
        return result;
    result.message = messageFromJson(reply->elements.at(1).string);
    result.changed = result.message && outcome == "changed";
    return result;
}

} // namespace

Command RedisStore::changeCommand(const Chat::Store::ChangeRequest &request) const
{
    const qint64 editedAt = request.ts > 0 ? request.ts : QDateTime::currentMSecsSinceEpoch();
    const QByteArray mentions
        = QJsonDocument(QJsonArray::fromStringList(request.mentions)).toJson(QJsonDocument::Compact);
    const QString &room = request.room;
    return m_redis->scriptCommand(m_changeScript,
                                  { Keys::room(room), Keys::messages(room), Keys::revisions(room),
                                    Keys::messageIds(room), Keys::liveSeqs(room) },
                                  { kindName(request.kind), request.id, utf8(request.user),
                                    request.mayDeleteOthers ? "1" : "0", utf8(request.text), mentions,
                                    utf8(request.emoji), request.on ? "1" : "0", QByteArray::number(editedAt),
                                    Keys::ownSeqs(room, {}), Keys::mentionSeqs(room, {}),
                                    Keys::reactions(room, request.id, {}),
                                    QByteArray::number(Chat::MaxDistinctReactions),
                                    QByteArray::number(Chat::MaxReactionUsersListed), Keys::filesOrphaned() });
}

void RedisStore::change(const Chat::Store::ChangeRequest &request, ChangeCallback callback)
{
    // In the pass's pipeline after the appends queued before it: revs follow that order.
    queueWrite(changeCommand(request), [callback = std::move(callback)](const std::optional<RedisReply> &reply) {
        callback(changeResult(reply));
    });
}

QList<Chat::Message> RedisStore::updates(const QString &room, qint64 afterRev, int limit)
{
    if (limit <= 0)
        return {};
    return messagesFrom(m_redis->command(
        m_redis->scriptCommand(m_updatesScript, { Keys::revisions(room), Keys::messageIds(room), Keys::messages(room) },
                               { QByteArray::number(afterRev), QByteArray::number(limit) })));
}

qint64 RedisStore::lastRev(const QString &room)
{
    const auto reply = m_redis->command({ "HGET", Keys::room(room), "lastRev" });
    return reply ? reply->toInteger() : 0;
}

std::optional<Chat::Message> RedisStore::findMessage(const QString &room, const QByteArray &id)
{
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_messageScript, { Keys::messageIds(room), Keys::messages(room) }, { id }));
    if (!reply || reply->isNil() || reply->isError())
        return std::nullopt;
    return messageFromJson(reply->string);
}

bool RedisStore::migrate()
{
    const auto version = m_redis->command({ "GET", Keys::schemaVersion() });
    if (!version)
        return false;
    const qint64 current = version->toInteger();
    if (current >= 3)
        return true;
    // One script per room: each atomic and idempotent, so nodes starting together (or
    // one that died half way) only repeat work that changes nothing.
    if (current < 2) {
        const bool ok = migrateRooms("v2 (revs and read state)", [this](const QString &room) {
            return m_redis->scriptCommand(m_migrateScript,
                                          { Keys::room(room), Keys::messages(room), Keys::revisions(room),
                                            Keys::messageIds(room), Keys::liveSeqs(room), Keys::receipts(room),
                                            Keys::readSeqs(room), Keys::readTimes(room) },
                                          { Keys::ownSeqs(room, {}), Keys::mentionSeqs(room, {}) });
        });
        if (!ok)
            return false;
    }
    const bool ok = migrateRooms("v3 (visibility and owners)", [this](const QString &room) {
        return m_redis->scriptCommand(m_migrateRolesScript,
                                      { Keys::room(room), Keys::members(room), Keys::roles(room), Keys::messages(room),
                                        Keys::directory() },
                                      { utf8(room) });
    });
    const auto done = ok ? m_redis->command({ "SET", Keys::schemaVersion(), "3" }) : std::nullopt;
    return done && !done->isError();
}

bool RedisStore::migrateRooms(const char *step, const std::function<Command(const QString &room)> &command)
{
    const auto rooms = m_redis->command({ "SMEMBERS", Keys::rooms() });
    if (!rooms)
        return false;
    int migrated = 0;
    for (const RedisReply &name : rooms->elements) {
        const QString room = name.toString();
        const auto reply = m_redis->command(command(room));
        if (!reply || reply->isError()) {
            qCWarning(lcRedisStore, "migrating room %s to %s failed: %s", qPrintable(room), step,
                      reply ? reply->string.constData() : "Redis unreachable");
            return false;
        }
        migrated += int(reply->integer);
    }
    if (migrated > 0)
        qCInfo(lcRedisStore, "migrated %d rooms to the data layout %s", migrated, step);
    return true;
}

} // namespace Confab::Cluster
