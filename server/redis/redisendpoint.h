// Where a node finds Redis: one server (redis://host:port[/db]) or a master named by
// Sentinels (redis+sentinel://host:port[,host:port…]/master[/db]).
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Confab::Redis {

struct HostPort
{
    QString host;
    quint16 port = 0;
};

struct RedisEndpoint
{
    QList<HostPort> sentinels; // empty: `server` is the master
    HostPort server;
    QString masterName;
    int database = 0;

    bool usesSentinel() const { return !sentinels.isEmpty(); }
    QString toString() const;
    // Nothing (and *error set) when the URL is not one of the two forms.
    static std::optional<RedisEndpoint> parse(const QString &url, QString *error);
};

} // namespace Confab::Redis
