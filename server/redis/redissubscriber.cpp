#include "redis/redissubscriber.h"

#include <QLoggingCategory>

#include <utility>

namespace Confab::Redis {

Q_LOGGING_CATEGORY(lcRedisSubscriber, "confab.redis.subscriber")

RedisSubscriber::RedisSubscriber(Locator locate, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_locate(std::move(locate))
    , m_timeoutMs(timeoutMs)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (!connectNow(nullptr))
            scheduleRetry();
    });
    m_keepAlive.setInterval(1000);
    connect(&m_keepAlive, &QTimer::timeout, this, &RedisSubscriber::keepAlive);
}

bool RedisSubscriber::open(QString *error)
{
    if (connectNow(error))
        return true;
    scheduleRetry();
    return false;
}

void RedisSubscriber::reconnect()
{
    if (m_link.isOpen())
        lost();
    m_retryTimer.stop();
    m_attempt = 0;
    if (!connectNow(nullptr))
        scheduleRetry();
}

bool RedisSubscriber::connectNow(QString *error)
{
    const auto address = m_locate(error);
    if (!address || !m_link.open(*address, m_timeoutMs, error))
        return false;
    QList<Command> commands;
    for (const QByteArray &channel : std::as_const(m_channels))
        commands.append({ "SUBSCRIBE", channel });
    commands.append({ "PING" }); // answered even with no channel: the link is up once Redis speaks
    if (!m_link.write(commands))
        return false;
    m_notifier = std::make_unique<QSocketNotifier>(m_link.socketDescriptor(), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &RedisSubscriber::readReplies);
    m_sinceHeard.start();
    m_keepAlive.start();
    return true;
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_link.isOpen() && !m_link.write({ { "SUBSCRIBE", channel } }))
        lost();
}

void RedisSubscriber::unsubscribe(const QByteArray &channel)
{
    if (!m_channels.remove(channel))
        return;
    if (m_link.isOpen() && !m_link.write({ { "UNSUBSCRIBE", channel } }))
        lost();
}

void RedisSubscriber::readReplies()
{
    // The socket blocks: a wake-up whose data keepAlive() already read must not wait for more.
    if (!m_link.hasData())
        return;
    QList<RedisReply> replies;
    const bool open = m_link.readAvailable(&replies);
    if (!replies.isEmpty()) {
        m_sinceHeard.start();
        if (!std::exchange(m_up, true)) {
            m_attempt = 0;
            Q_EMIT upChanged(true);
        }
    }
    for (const RedisReply &reply : std::as_const(replies)) {
        // ["message", channel, payload]; subscribe confirmations are ignored.
        if (reply.elements.size() == 3 && reply.elements.at(0).string == "message")
            Q_EMIT message(reply.elements.at(1).string, reply.elements.at(2).string);
    }
    if (!open)
        lost();
}

void RedisSubscriber::keepAlive()
{
    if (!m_link.isOpen())
        return;
    // After a long stall of our own loop, what Redis sent may wait unread behind this timer.
    readReplies();
    if (!m_link.isOpen())
        return;
    if (m_deadlineMs > 0 && m_sinceHeard.elapsed() > m_deadlineMs) {
        if (m_up)
            qCWarning(lcRedisSubscriber, "Redis subscriber link silent for %lld ms: counted lost, reconnecting",
                      qint64(m_sinceHeard.elapsed()));
        return lost();
    }
    // Answered ["pong", ""] while subscribed; readReplies() ignores it.
    if (!m_link.write({ { "PING" } }))
        lost();
}

void RedisSubscriber::lost()
{
    m_keepAlive.stop();
    m_notifier.reset();
    m_link.close();
    if (std::exchange(m_up, false))
        Q_EMIT upChanged(false);
    scheduleRetry();
}

void RedisSubscriber::scheduleRetry()
{
    if (!m_retryTimer.isActive())
        m_retryTimer.start(m_backoff.delayMs(m_attempt++));
}

} // namespace Confab::Redis
