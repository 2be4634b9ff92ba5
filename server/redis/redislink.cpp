#include "redis/redislink.h"

#include <hiredis/hiredis.h>
#include <poll.h>

#include <vector>

namespace Confab::Redis {

namespace {

timeval toTimeval(int ms)
{
    return { ms / 1000, (ms % 1000) * 1000 };
}

bool appendCommand(redisContext *context, const Command &command)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(command.size()));
    lengths.reserve(size_t(command.size()));
    for (const QByteArray &arg : command) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    return redisAppendCommandArgv(context, int(argv.size()), argv.data(), lengths.data()) == REDIS_OK;
}

} // namespace

RedisLink::RedisLink() = default;

RedisLink::~RedisLink()
{
    close();
}

bool RedisLink::open(const HostPort &address, int timeoutMs, QString *error)
{
    close();
    m_context = redisConnectWithTimeout(address.host.toUtf8().constData(), address.port, toTimeval(timeoutMs));
    if (!m_context || m_context->err) {
        m_error = m_context ? QString::fromUtf8(m_context->errstr) : QStringLiteral("out of memory");
        close();
        if (error)
            *error = QStringLiteral("%1:%2: %3").arg(address.host).arg(address.port).arg(m_error);
        return false;
    }
    redisSetTimeout(m_context, toTimeval(timeoutMs));
    return true;
}

void RedisLink::close()
{
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
}

int RedisLink::socketDescriptor() const
{
    return m_context ? m_context->fd : -1;
}

bool RedisLink::fail()
{
    if (m_context)
        m_error = QString::fromUtf8(m_context->errstr);
    close();
    return false;
}

std::optional<RedisReply> RedisLink::command(const Command &command)
{
    auto replies = pipeline({ command });
    if (!replies)
        return std::nullopt;
    return replies->first();
}

std::optional<QList<RedisReply>> RedisLink::pipeline(const QList<Command> &commands)
{
    if (!m_context)
        return std::nullopt;
    for (const Command &command : commands) {
        if (!appendCommand(m_context, command)) {
            fail();
            return std::nullopt;
        }
    }
    QList<RedisReply> replies;
    replies.reserve(commands.size());
    for (qsizetype i = 0; i < commands.size(); ++i) {
        void *raw = nullptr;
        if (redisGetReply(m_context, &raw) != REDIS_OK || !raw) {
            fail();
            return std::nullopt;
        }
        replies.append(RedisReply::from(static_cast<redisReply *>(raw)));
        freeReplyObject(raw);
    }
    return replies;
}

bool RedisLink::write(const QList<Command> &commands)
{
    if (!m_context)
        return false;
    for (const Command &command : commands) {
        if (!appendCommand(m_context, command))
            return fail();
    }
    int done = 0;
    while (!done) {
        if (redisBufferWrite(m_context, &done) != REDIS_OK)
            return fail();
    }
    return true;
}

bool RedisLink::readAvailable(QList<RedisReply> *replies)
{
    // The socket is readable, so this read returns at once with what has arrived.
    if (!m_context || redisBufferRead(m_context) != REDIS_OK)
        return fail();
    for (;;) {
        void *raw = nullptr;
        if (redisGetReplyFromReader(m_context, &raw) != REDIS_OK)
            return fail();
        if (!raw)
            return true;
        replies->append(RedisReply::from(static_cast<redisReply *>(raw)));
        freeReplyObject(raw);
    }
}

bool RedisLink::hasData() const
{
    if (!m_context)
        return false;
    pollfd watched { m_context->fd, POLLIN, 0 };
    return ::poll(&watched, 1, 0) > 0;
}

std::optional<HostPort> resolveMaster(const RedisEndpoint &endpoint, int timeoutMs, QString *error)
{
    if (!endpoint.usesSentinel())
        return endpoint.server;
    QStringList failures;
    for (const HostPort &sentinel : endpoint.sentinels) {
        RedisLink link;
        QString why;
        if (!link.open(sentinel, timeoutMs, &why)) {
            failures.append(why);
            continue;
        }
        const auto reply = link.command({ "SENTINEL", "get-master-addr-by-name", endpoint.masterName.toUtf8() });
        if (reply && reply->type == RedisReply::Type::Array && reply->elements.size() == 2)
            return HostPort { reply->elements.at(0).toString(), quint16(reply->elements.at(1).toInteger()) };
        failures.append(QStringLiteral("%1:%2 does not know master %3")
                            .arg(sentinel.host)
                            .arg(sentinel.port)
                            .arg(endpoint.masterName));
    }
    if (error)
        *error = failures.join(QStringLiteral("; "));
    return std::nullopt;
}

} // namespace Confab::Redis
