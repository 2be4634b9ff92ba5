// Roles, bans, topics and the directory in the cluster store: per room a roles hash
// (only owner and moderators; members are the rest) and a bans set, and one directory
// set of the public rooms. See rediskeys.h.
#include "chat/directory.h"
#include "cluster/redisjson.h"
#include "cluster/rediskeys.h"
#include "cluster/redisstore.h"

namespace Confab::Cluster {

using Chat::RoomRole;
using Redis::Command;

QHash<QString, RoomRole> RedisStore::roles(const QString &room)
{
    QHash<QString, RoomRole> result;
    const auto reply = m_redis->command({ "HGETALL", Keys::roles(room) });
    if (!reply)
        return result;
    for (qsizetype i = 0; i + 1 < reply->elements.size(); i += 2) {
        if (const auto role = Chat::roomRoleFromName(reply->elements.at(i + 1).toString()))
            result.insert(reply->elements.at(i).toString(), *role);
    }
    return result;
}

std::optional<RoomRole> RedisStore::roleOf(const QString &room, const QString &user)
{
    const auto replies = m_redis->pipeline(
        { { "SISMEMBER", Keys::members(room), utf8(user) }, { "HGET", Keys::roles(room), utf8(user) } });
    if (!replies || replies->at(0).integer != 1)
        return std::nullopt;
    return Chat::roomRoleFromName(replies->at(1).toString()).value_or(RoomRole::Member);
}

bool RedisStore::setRole(const QString &room, const QString &user, RoomRole role)
{
    const auto reply
        = m_redis->command(m_redis->scriptCommand(m_setRoleScript, { Keys::members(room), Keys::roles(room) },
                                                  { utf8(user), utf8(Chat::roomRoleName(role)) }));
    return reply && reply->integer == 1;
}

bool RedisStore::setTopic(const QString &room, const QString &topic)
{
    // HSET on a room that does not exist would make one: only an existing room's field.
    if (!findRoom(room))
        return false;
    const auto reply = m_redis->command({ "HSET", Keys::room(room), "topic", utf8(topic) });
    return reply && !reply->isError();
}

bool RedisStore::isBanned(const QString &room, const QString &user)
{
    const auto reply = m_redis->command({ "SISMEMBER", Keys::bans(room), utf8(user) });
    return reply && reply->integer == 1;
}

bool RedisStore::setBanned(const QString &room, const QString &user, bool on)
{
    const auto reply = m_redis->command({ on ? "SADD" : "SREM", Keys::bans(room), utf8(user) });
    return reply && !reply->isError();
}

QList<Chat::DirectoryEntry> RedisStore::directory(const QString &query, int limit)
{
    // Every public room's topic and size in one pipeline, matched here; then the last
    // message's time of only the rooms answered.
    QList<Chat::DirectoryEntry> entries;
    const auto names = m_redis->command({ "SMEMBERS", Keys::directory() });
    if (!names || names->elements.isEmpty())
        return entries;
    QList<Command> commands;
    for (const auto &name : names->elements) {
        commands.append({ "HMGET", Keys::room(name.toString()), "topic", "createdAt" });
        commands.append({ "SCARD", Keys::members(name.toString()) });
    }
    const auto replies = m_redis->pipeline(commands);
    if (!replies)
        return entries;
    for (qsizetype i = 0; i < names->elements.size(); ++i) {
        const QString name = names->elements.at(i).toString();
        const auto &fields = replies->at(2 * i).elements;
        if (fields.size() != 2)
            continue;
        const QString topic = fields.at(0).toString();
        if (Chat::matchesDirectoryQuery(name, topic, query))
            entries.append({ name, topic, replies->at(2 * i + 1).integer, fields.at(1).toInteger() });
    }
    Chat::rankDirectory(entries, limit);
    commands.clear();
    for (const Chat::DirectoryEntry &entry : entries)
        commands.append({ "ZRANGE", Keys::messages(entry.name), "-1", "-1" });
    const auto last = commands.isEmpty() ? std::nullopt : m_redis->pipeline(commands);
    for (qsizetype i = 0; last && i < entries.size(); ++i) {
        const auto &newest = last->at(i).elements;
        if (const auto message = newest.isEmpty() ? std::nullopt : messageFromJson(newest.first().string))
            entries[i].lastActivity = message->ts;
    }
    return entries;
}

} // namespace Confab::Cluster
