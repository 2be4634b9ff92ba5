#include "redis/redisconnection.h"

#include <QCryptographicHash>
#include <QLoggingCategory>

#include <algorithm>
#include <memory>
#include <utility>

namespace Confab::Redis {

Q_LOGGING_CATEGORY(lcRedis, "confab.redis")

namespace {

// Errors that mean "this is not (or not yet) a usable master": reconnect and ask again.
bool isRoleError(const RedisReply &reply)
{
    return reply.isError()
        && (reply.string.startsWith("READONLY") || reply.string.startsWith("LOADING")
            || reply.string.startsWith("MASTERDOWN"));
}

} // namespace

RedisConnection::RedisConnection(const RedisEndpoint &endpoint, const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_options(options)
    , m_backoff(options.retry)
{
    // The deadline is also what ends a background reconnect that Redis never answers: never off.
    m_async.setDeadline(std::max(options.commandDeadlineMs, options.timeoutMs));
    connect(&m_async, &RedisAsyncLink::lost, this, [this](const QString &why) {
        // Only a connection that is still current: markDown() closes both.
        if (m_up)
            markDown(QStringLiteral("pipelined commands: %1").arg(why));
        else if (m_connecting)
            abandonAttempt(why);
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisConnection::connectInBackground);
}

bool RedisConnection::open(QString *error)
{
    if (connectToMaster(error))
        return true;
    scheduleRetry();
    return false;
}

void RedisConnection::reconnect()
{
    m_connecting = false;
    ++m_attemptId;
    m_link.close();
    m_async.close();
    if (std::exchange(m_up, false))
        Q_EMIT upChanged(false);
    m_retryTimer.stop();
    m_attempt = 0;
    connectInBackground();
}

void RedisConnection::connectInBackground()
{
    if (m_up || m_connecting)
        return;
    QString error;
    // Sentinels are asked with the short blocking timeout: they are other processes than
    // the master, and this runs only on a reconnect.
    const auto master = resolveMaster(m_endpoint, m_options.timeoutMs, &error);
    if (!master || !m_async.open(*master, m_endpoint.database, &error))
        return abandonAttempt(error);
    m_connecting = true;
    const quint64 attempt = ++m_attemptId;
    m_async.command({ "ROLE" }, [this, master = *master, attempt](const std::optional<RedisReply> &role) {
        if (attempt != m_attemptId || !m_connecting)
            return;
        if (!role || role->elements.isEmpty() || role->elements.first().string != "master") {
            const QString why = role ? QStringLiteral("%1:%2 is not a master (yet)").arg(master.host).arg(master.port)
                                     : QStringLiteral("%1:%2 did not answer").arg(master.host).arg(master.port);
            // Out of hiredis's callback before the link is closed.
            QMetaObject::invokeMethod(
                this,
                [this, why, attempt] {
                    if (attempt == m_attemptId && m_connecting)
                        abandonAttempt(why);
                },
                Qt::QueuedConnection);
            return;
        }
        loadScriptsInBackground(master, attempt);
    });
}

void RedisConnection::loadScriptsInBackground(const HostPort &master, quint64 attempt)
{
    auto waiting = std::make_shared<qsizetype>(m_scripts.size() + 1);
    auto failure = std::make_shared<QString>();
    const auto answered = [this, master, attempt, waiting, failure](const std::optional<RedisReply> &reply) {
        if (!reply || reply->isError())
            *failure = reply ? reply->toString() : QStringLiteral("SCRIPT LOAD: no answer");
        if (--*waiting > 0 || attempt != m_attemptId || !m_connecting)
            return;
        QMetaObject::invokeMethod(
            this,
            [this, master, attempt, failure] {
                if (attempt != m_attemptId || !m_connecting)
                    return;
                if (!failure->isEmpty())
                    return abandonAttempt(*failure);
                finishBackgroundConnect(master);
            },
            Qt::QueuedConnection);
    };
    for (const QByteArray &source : std::as_const(m_scripts))
        m_async.command({ "SCRIPT", "LOAD", source }, answered);
    m_async.command({ "PING" }, answered); // the last answer, even with no script
}

void RedisConnection::finishBackgroundConnect(const HostPort &master)
{
    m_connecting = false;
    // Redis has just answered: the blocking link's connect and SELECT are a round trip away.
    QString error;
    if (!m_link.open(master, m_options.timeoutMs, &error))
        return abandonAttempt(error);
    const auto selected = m_link.command({ "SELECT", QByteArray::number(m_endpoint.database) });
    if (!selected || selected->isError())
        return abandonAttempt(selected ? selected->toString() : m_link.errorString());
    m_master = master;
    m_attempt = 0;
    ++m_connects;
    m_up = true;
    qCInfo(lcRedis, "connected to the Redis master at %s:%u", qPrintable(master.host), master.port);
    Q_EMIT upChanged(true);
}

void RedisConnection::abandonAttempt(const QString &why)
{
    m_connecting = false;
    ++m_attemptId;
    m_link.close();
    m_async.close();
    Q_EMIT lastErrorChanged(why);
    scheduleRetry();
}

QString RedisConnection::masterAddress() const
{
    return isUp() ? QStringLiteral("%1:%2").arg(m_master.host).arg(m_master.port) : QString();
}

bool RedisConnection::connectToMaster(QString *error)
{
    const auto master = resolveMaster(m_endpoint, m_options.timeoutMs, error);
    if (!master)
        return false;
    if (!m_link.open(*master, m_options.timeoutMs, error))
        return false;
    const auto replies = m_link.pipeline({ { "SELECT", QByteArray::number(m_endpoint.database) }, { "ROLE" } });
    if (!replies || replies->at(0).isError()) {
        if (error)
            *error = replies ? replies->at(0).toString() : m_link.errorString();
        m_link.close();
        return false;
    }
    const RedisReply &role = replies->at(1);
    if (role.elements.isEmpty() || role.elements.first().string != "master") {
        if (error)
            *error = QStringLiteral("%1:%2 is not a master (yet)").arg(master->host).arg(master->port);
        m_link.close();
        return false;
    }
    if (!loadScripts()) {
        if (error)
            *error = m_link.errorString();
        return false;
    }
    if (!m_async.open(*master, m_endpoint.database, error)) {
        m_link.close();
        return false;
    }
    m_master = *master;
    m_attempt = 0;
    ++m_connects;
    m_up = true;
    qCInfo(lcRedis, "connected to the Redis master at %s:%u", qPrintable(master->host), master->port);
    Q_EMIT upChanged(true);
    return isUp(); // a listener may already have found it broken
}

bool RedisConnection::loadScripts()
{
    QList<Command> loads;
    for (const QByteArray &source : m_scripts)
        loads.append({ "SCRIPT", "LOAD", source });
    if (loads.isEmpty())
        return true;
    const auto replies = m_link.pipeline(loads);
    if (!replies)
        return false;
    for (const RedisReply &reply : *replies) {
        if (reply.isError()) {
            qCWarning(lcRedis, "SCRIPT LOAD failed: %s", reply.string.constData());
            m_link.close();
            return false;
        }
    }
    return true;
}

void RedisConnection::markDown(const QString &why)
{
    ++m_failures;
    // The link closes itself on an I/O error, so whether it was up is our own flag.
    const bool wasUp = std::exchange(m_up, false);
    m_link.close();
    m_async.close(); // its unanswered commands fail now: their callers answer "unavailable"
    qCWarning(lcRedis, "Redis connection lost: %s", qPrintable(why));
    Q_EMIT lastErrorChanged(why);
    if (wasUp)
        Q_EMIT upChanged(false);
    scheduleRetry();
}

void RedisConnection::scheduleRetry()
{
    if (m_retryTimer.isActive())
        return;
    m_retryTimer.start(m_backoff.delayMs(m_attempt++));
}

std::optional<RedisReply> RedisConnection::command(const Command &command)
{
    auto replies = pipeline({ command });
    if (!replies)
        return std::nullopt;
    return replies->first();
}

std::optional<QList<RedisReply>> RedisConnection::pipeline(const QList<Command> &commands)
{
    if (!m_up)
        return std::nullopt;
    QElapsedTimer clock;
    clock.start();
    auto replies = m_link.pipeline(commands);
    ++m_roundTrips;
    if (!replies) {
        markDown(QStringLiteral("%1 (%2)").arg(m_link.errorString(), QString::fromUtf8(commands.first().first())));
        return std::nullopt;
    }
    for (qsizetype i = 0; i < replies->size(); ++i) {
        const RedisReply &reply = replies->at(i);
        if (isRoleError(reply)) {
            markDown(reply.toString());
            return std::nullopt;
        }
        if (reply.isError() && reply.string.startsWith("NOSCRIPT")) {
            // Only the commands that did not run are sent again, so nothing runs twice.
            if (!loadScripts()) {
                markDown(m_link.errorString());
                return std::nullopt;
            }
            auto again = m_link.command(commands.at(i));
            if (!again) {
                markDown(m_link.errorString());
                return std::nullopt;
            }
            (*replies)[i] = *again;
        }
    }
    m_lastRoundTripMs = double(clock.nsecsElapsed()) / 1e6;
    return replies;
}

void RedisConnection::commandAsync(const Command &command, RedisAsyncLink::Callback callback)
{
    if (!m_up)
        return callback(std::nullopt);
    m_async.command(command, [this, callback = std::move(callback)](const std::optional<RedisReply> &reply) {
        if (reply && isRoleError(*reply)) {
            callback(std::nullopt);
            if (m_up)
                markDown(reply->toString());
            return;
        }
        callback(reply);
    });
}

int RedisConnection::addScript(const QByteArray &source)
{
    m_scripts.append(source);
    m_scriptShas.append(QCryptographicHash::hash(source, QCryptographicHash::Sha1).toHex());
    if (isUp())
        loadScripts();
    return int(m_scripts.size() - 1);
}

Command RedisConnection::scriptCommand(int script, const QList<QByteArray> &keys, const QList<QByteArray> &args) const
{
    Command command { "EVALSHA", m_scriptShas.at(script), QByteArray::number(keys.size()) };
    command.append(keys);
    command.append(args);
    return command;
}

} // namespace Confab::Redis
