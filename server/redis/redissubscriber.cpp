#include "redis/redissubscriber.h"

#include <utility>

namespace Confab::Redis {

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
    if (m_up)
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
    QList<Command> subscribes;
    for (const QByteArray &channel : std::as_const(m_channels))
        subscribes.append({ "SUBSCRIBE", channel });
    if (!subscribes.isEmpty() && !m_link.write(subscribes))
        return false;
    m_notifier = std::make_unique<QSocketNotifier>(m_link.socketDescriptor(), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &RedisSubscriber::readReplies);
    m_attempt = 0;
    m_up = true;
    Q_EMIT upChanged(true);
    return true;
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (isUp() && !m_link.write({ { "SUBSCRIBE", channel } }))
        lost();
}

void RedisSubscriber::unsubscribe(const QByteArray &channel)
{
    if (!m_channels.remove(channel))
        return;
    if (isUp() && !m_link.write({ { "UNSUBSCRIBE", channel } }))
        lost();
}

void RedisSubscriber::readReplies()
{
    QList<RedisReply> replies;
    const bool open = m_link.readAvailable(&replies);
    for (const RedisReply &reply : std::as_const(replies)) {
        // ["message", channel, payload]; subscribe confirmations are ignored.
        if (reply.elements.size() == 3 && reply.elements.at(0).string == "message")
            Q_EMIT message(reply.elements.at(1).string, reply.elements.at(2).string);
    }
    if (!open)
        lost();
}

void RedisSubscriber::lost()
{
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
