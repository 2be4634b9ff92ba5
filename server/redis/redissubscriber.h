// A pub/sub connection read by the Qt event loop (QSocketNotifier): never blocks on
// reading. It keeps the set of channels it should hear, so after a reconnect (a Redis
// restart, a failover) it subscribes to all of them again and says so with resubscribed().
// It is up once Redis has answered on a new connection, not when the socket connects. It
// PINGs every second and counts the link lost when nothing at all has been heard for the
// deadline: a partitioned Redis sends no RST or FIN, and a subscriber only reads.
#pragma once

#include "redis/redislink.h"
#include "util/backoff.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QSocketNotifier>
#include <QTimer>

#include <functional>
#include <memory>

namespace Confab::Redis {

class RedisSubscriber : public QObject
{
    Q_OBJECT
public:
    // `locate` names the server to subscribe on; asked at every (re)connect.
    using Locator = std::function<std::optional<HostPort>(QString *error)>;
    explicit RedisSubscriber(Locator locate, int timeoutMs = 1000, QObject *parent = nullptr);
    // Silence longer than this (PINGs unanswered) marks the link lost.
    void setDeadline(int ms) { m_deadlineMs = ms; }

    bool open(QString *error = nullptr);
    // Redis has answered on the current connection.
    bool isUp() const { return m_up; }
    // Connected with every SUBSCRIBE sent, answered or not yet: the node should hear what it publishes.
    bool isListening() const { return m_link.isOpen(); }
    void reconnect();

    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    bool isSubscribed(const QByteArray &channel) const { return m_channels.contains(channel); }
    qsizetype channelCount() const { return m_channels.size(); }

Q_SIGNALS:
    void message(const QByteArray &channel, const QByteArray &payload);
    void upChanged(bool up);

private:
    bool connectNow(QString *error);
    void readReplies();
    void lost();
    void scheduleRetry();
    void keepAlive();

    Locator m_locate;
    int m_timeoutMs;
    RedisLink m_link;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QSet<QByteArray> m_channels;
    QTimer m_retryTimer;
    QTimer m_keepAlive;
    QElapsedTimer m_sinceHeard;
    int m_deadlineMs = 3000;
    Backoff m_backoff { { 100, 3000 } };
    int m_attempt = 0;
    bool m_up = false;
};

} // namespace Confab::Redis
