// The cluster store's read state: read positions per (room, user), and unread and
// mention counts from the live/own/mention sorted sets (ZCOUNTs, never a history scan).
#include "cluster/redisjson.h"
#include "cluster/rediskeys.h"
#include "cluster/redisstore.h"

namespace Confab::Cluster {

using Redis::Command;
using Redis::RedisReply;

namespace {

Chat::Store::ReadState readStateFrom(const RedisReply &reply)
{
    if (reply.elements.size() != 4)
        return {};
    return { reply.elements.at(0).toInteger(), reply.elements.at(1).toInteger(), reply.elements.at(2).toInteger(),
             reply.elements.at(3).toInteger() };
}

} // namespace

// seq 0 reads without moving.
Command RedisStore::readStateCommand(const QString &room, const QString &user, qint64 seq) const
{
    return m_redis->scriptCommand(m_readStateScript,
                                  { Keys::room(room), Keys::readSeqs(room), Keys::readTimes(room), Keys::liveSeqs(room),
                                    Keys::ownSeqs(room, user), Keys::mentionSeqs(room, user) },
                                  { utf8(user), QByteArray::number(seq) });
}

Chat::Store::ReadState RedisStore::setReadPosition(const QString &room, const QString &user, qint64 seq)
{
    const auto reply = m_redis->command(readStateCommand(room, user, qMax<qint64>(seq, 0)));
    return reply ? readStateFrom(*reply) : ReadState {};
}

QHash<QString, Chat::Store::ReadState> RedisStore::readStates(const QString &user)
{
    QHash<QString, ReadState> result;
    const auto rooms = m_redis->command({ "SMEMBERS", Keys::roomsOf(user) });
    if (!rooms || rooms->elements.isEmpty())
        return result;
    QList<Command> commands;
    for (const RedisReply &room : rooms->elements)
        commands.append(readStateCommand(room.toString(), user, 0));
    const auto replies = m_redis->pipeline(commands); // every room in one round trip
    if (!replies)
        return result;
    for (qsizetype i = 0; i < replies->size(); ++i)
        result.insert(rooms->elements.at(i).toString(), readStateFrom(replies->at(i)));
    return result;
}

QMap<QString, qint64> RedisStore::readPositions(const QString &room, int limit)
{
    QMap<QString, qint64> result;
    if (limit <= 0)
        return result;
    const auto reply = m_redis->command(m_redis->scriptCommand(m_readPositionsScript,
                                                               { Keys::readTimes(room), Keys::readSeqs(room) },
                                                               { QByteArray::number(limit) }));
    if (!reply)
        return result;
    for (qsizetype i = 0; i + 1 < reply->elements.size(); i += 2)
        result.insert(reply->elements.at(i).toString(), reply->elements.at(i + 1).toInteger());
    return result;
}

} // namespace Confab::Cluster
