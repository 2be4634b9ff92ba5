#include "redis/redisendpoint.h"

#include <QStringList>

namespace Confab::Redis {

namespace {

std::optional<HostPort> parseHostPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    const QString host = colon < 0 ? text : text.left(colon);
    bool ok = true;
    const uint port = colon < 0 ? 6379 : text.mid(colon + 1).toUInt(&ok);
    if (host.isEmpty() || !ok || port == 0 || port > 65535)
        return std::nullopt;
    return HostPort { host, quint16(port) };
}

} // namespace

QString RedisEndpoint::toString() const
{
    if (!usesSentinel())
        return QStringLiteral("redis://%1:%2/%3").arg(server.host).arg(server.port).arg(database);
    QStringList hosts;
    for (const HostPort &sentinel : sentinels)
        hosts.append(QStringLiteral("%1:%2").arg(sentinel.host).arg(sentinel.port));
    return QStringLiteral("redis+sentinel://%1/%2/%3").arg(hosts.join(QLatin1Char(',')), masterName).arg(database);
}

std::optional<RedisEndpoint> RedisEndpoint::parse(const QString &url, QString *error)
{
    const auto bad = [&](const QString &why) -> std::optional<RedisEndpoint> {
        *error = QStringLiteral("--redis %1: %2").arg(url, why);
        return std::nullopt;
    };
    const QString plain = QStringLiteral("redis://");
    const QString sentinel = QStringLiteral("redis+sentinel://");
    const bool isSentinel = url.startsWith(sentinel);
    if (!isSentinel && !url.startsWith(plain))
        return bad(QStringLiteral("expected redis://host:port[/db] or "
                                  "redis+sentinel://host:port[,host:port…]/master[/db]"));
    const QStringList parts = url.mid(isSentinel ? sentinel.size() : plain.size()).split(QLatin1Char('/'));
    RedisEndpoint endpoint;
    qsizetype next = 1;
    if (isSentinel) {
        for (const QString &hostPort : parts.first().split(QLatin1Char(','))) {
            const auto parsed = parseHostPort(hostPort);
            if (!parsed)
                return bad(QStringLiteral("bad sentinel address \"%1\"").arg(hostPort));
            endpoint.sentinels.append(*parsed);
        }
        endpoint.masterName = parts.value(next++);
        if (endpoint.masterName.isEmpty())
            return bad(QStringLiteral("the master's name is missing"));
    } else {
        const auto parsed = parseHostPort(parts.first());
        if (!parsed)
            return bad(QStringLiteral("bad address \"%1\"").arg(parts.first()));
        endpoint.server = *parsed;
    }
    const QString db = parts.value(next);
    if (!db.isEmpty()) {
        bool ok = false;
        endpoint.database = db.toInt(&ok);
        if (!ok || endpoint.database < 0)
            return bad(QStringLiteral("the database must be a number"));
    }
    if (parts.size() > next + 1)
        return bad(QStringLiteral("unexpected path after the database"));
    return endpoint;
}

} // namespace Confab::Redis
