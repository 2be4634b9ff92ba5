// Upload records in Redis (the bytes are under --files-dir, shared by the nodes). A record
// is written on its own and, like a batch of messages, waits for the replicas asked for.
#include "cluster/redisjson.h"
#include "cluster/rediskeys.h"
#include "cluster/redisscripts.h"
#include "cluster/redisstore.h"

namespace Confab::Cluster {

bool RedisStore::addFile(const Chat::FileRecord &file)
{
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_addFileScript,
                               { Keys::file(file.id), Keys::fileContents(file.uploader),
                                 Keys::fileUsage(file.uploader) },
                               { file.sha256, QByteArray::number(file.size), "sha256", file.sha256, "name",
                                 utf8(file.name), "type", file.type, "size", QByteArray::number(file.size), "uploader",
                                 utf8(file.uploader), "createdAt", QByteArray::number(file.createdAt) }));
    if (!reply || reply->integer != 1)
        return false;
    if (m_options.waitReplicas <= 0)
        return true;
    const auto replicated = m_redis->command(
        { "WAIT", QByteArray::number(m_options.waitReplicas), QByteArray::number(m_options.waitTimeoutMs) });
    return replicated && replicated->integer >= m_options.waitReplicas;
}

std::optional<Chat::FileRecord> RedisStore::findFile(const QByteArray &id)
{
    const auto reply
        = m_redis->command({ "HMGET", Keys::file(id), "sha256", "name", "type", "size", "uploader", "createdAt" });
    if (!reply || reply->elements.size() != 6 || reply->elements.at(0).isNil())
        return std::nullopt;
    const auto &fields = reply->elements;
    return Chat::FileRecord { id,
                              fields.at(0).string,
                              QString::fromUtf8(fields.at(1).string),
                              fields.at(2).string,
                              fields.at(3).toInteger(),
                              QString::fromUtf8(fields.at(4).string),
                              fields.at(5).toInteger() };
}

bool RedisStore::mayAccessFile(const QString &user, const QByteArray &id)
{
    const auto reply = m_redis->command(m_redis->scriptCommand(m_mayAccessFileScript, { Keys::fileReferences(id) },
                                                               { utf8(user), Keys::members({}), Keys::messages({}) }));
    return reply && reply->integer == 1;
}

qint64 RedisStore::fileUsage(const QString &user)
{
    const auto reply = m_redis->command({ "GET", Keys::fileUsage(user) });
    return reply ? reply->toInteger() : 0;
}

} // namespace Confab::Cluster
