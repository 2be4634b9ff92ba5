// One TCP connection to a Redis server through hiredis's synchronous API, with
// timeouts so a dead or unreachable server costs at most one timeout. Commands may be
// pipelined: written together, answered together, one round trip.
#pragma once

#include "redis/redisendpoint.h"
#include "redis/redisreply.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

struct redisContext;

namespace Confab::Redis {

using Command = QList<QByteArray>;

class RedisLink
{
public:
    RedisLink();
    ~RedisLink();
    RedisLink(const RedisLink &) = delete;
    RedisLink &operator=(const RedisLink &) = delete;

    bool open(const HostPort &address, int timeoutMs, QString *error);
    void close();
    bool isOpen() const { return m_context != nullptr; }
    int socketDescriptor() const;

    // Nothing when the connection failed (it is then closed); a Redis error is a reply.
    std::optional<RedisReply> command(const Command &command);
    std::optional<QList<RedisReply>> pipeline(const QList<Command> &commands);

    // For pub/sub: queue and flush commands without reading; read what has arrived.
    bool write(const QList<Command> &commands);
    // Reads what the socket has now and returns the complete replies (false: closed).
    bool readAvailable(QList<RedisReply> *replies);
    // Something waits to be read (a poll that does not wait).
    bool hasData() const;
    QString errorString() const { return m_error; }

private:
    bool fail();
    redisContext *m_context = nullptr;
    QString m_error;
};

// The current master's address, asked of each Sentinel in turn.
std::optional<HostPort> resolveMaster(const RedisEndpoint &endpoint, int timeoutMs, QString *error);

} // namespace Confab::Redis
