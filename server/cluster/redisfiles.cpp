// Upload records in Redis (the bytes are under --files-dir, shared by the nodes). A record
// is written on its own and, like a batch of messages, waits for the replicas asked for.
#include "cluster/redisjson.h"
#include "cluster/rediskeys.h"
#include "cluster/redisscripts.h"
#include "cluster/redisstore.h"

#include <QSet>

namespace Confab::Cluster {

bool RedisStore::addFile(const Chat::FileRecord &file)
{
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_addFileScript,
                               { Keys::file(file.id), Keys::fileContents(file.uploader), Keys::fileUsage(file.uploader),
                                 Keys::fileContentRecords(file.uploader), Keys::filesUnsent(), Keys::fileUsageRanking(),
                                 Keys::fileContentCounts(), Keys::fileTotals() },
                               { file.sha256, QByteArray::number(file.size), QByteArray::number(file.createdAt),
                                 file.id, utf8(file.uploader), "sha256", file.sha256, "name", utf8(file.name), "type",
                                 file.type, "size", QByteArray::number(file.size), "uploader", utf8(file.uploader),
                                 "createdAt", QByteArray::number(file.createdAt) }));
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

std::optional<Chat::Store::FileCollection> RedisStore::collectFiles(qint64 createdBefore, qint64 abandonedBefore,
                                                                    int limit)
{
    // Candidates: uploads created before the cut (most were sent since: the script takes
    // those out of the set), and what deleted messages carried.
    const auto unsent = m_redis->command({ "ZRANGEBYSCORE", Keys::filesUnsent(), "-inf",
                                           "(" + QByteArray::number(std::min(abandonedBefore, createdBefore)), "LIMIT",
                                           "0", QByteArray::number(limit) });
    const auto orphaned = m_redis->command({ "SRANDMEMBER", Keys::filesOrphaned(), QByteArray::number(limit) });
    if (!unsent || !orphaned)
        return std::nullopt;
    QSet<QByteArray> candidates;
    for (const auto *reply : { &*unsent, &*orphaned }) {
        for (const Redis::RedisReply &id : reply->elements)
            candidates.insert(id.string);
    }
    FileCollection collection;
    // Each set gave at most `limit`: a full one from either may have more behind it.
    collection.examined = int(std::max(unsent->elements.size(), orphaned->elements.size()));
    for (const QByteArray &id : std::as_const(candidates)) {
        const auto reply = m_redis->command(
            m_redis->scriptCommand(m_collectFileScript,
                                   { Keys::file(id), Keys::fileReferences(id), Keys::filesUnsent(),
                                     Keys::filesOrphaned(), Keys::fileContentCounts(), Keys::fileTotals(),
                                     Keys::fileUsageRanking() },
                                   { id, QByteArray::number(abandonedBefore), Keys::messages({}),
                                     Keys::fileContents({}), Keys::fileUsage({}), Keys::fileContentRecords({}),
                                     QByteArray::number(createdBefore) }));
        if (!reply)
            return std::nullopt;
        if (reply->elements.value(0).integer != 1)
            continue;
        ++collection.records;
        if (const QByteArray sha = reply->elements.value(1).string; !sha.isEmpty())
            collection.freedContents.append(sha);
    }
    return collection;
}

std::optional<Chat::Store::FileTotals> RedisStore::fileTotals(int topUsers)
{
    const auto totals = m_redis->command({ "HMGET", Keys::fileTotals(), "records", "contents", "bytes" });
    const auto ranking = m_redis->command(
        { "ZREVRANGE", Keys::fileUsageRanking(), "0", QByteArray::number(topUsers - 1), "WITHSCORES" });
    if (!totals || totals->elements.size() != 3 || !ranking)
        return std::nullopt;
    FileTotals result { totals->elements.at(0).toInteger(), totals->elements.at(1).toInteger(),
                        totals->elements.at(2).toInteger() };
    for (qsizetype i = 0; i + 1 < ranking->elements.size(); i += 2) {
        const qint64 used = ranking->elements.at(i + 1).toInteger();
        if (used > 0)
            result.topUsers.append({ QString::fromUtf8(ranking->elements.at(i).string), used });
    }
    return result;
}

std::optional<bool> RedisStore::isContentRecorded(const QByteArray &sha256)
{
    const auto reply = m_redis->command({ "HGET", Keys::fileContentCounts(), sha256 });
    if (!reply || reply->isError())
        return std::nullopt;
    return reply->toInteger() > 0;
}

} // namespace Confab::Cluster
