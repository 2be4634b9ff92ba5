// A pub/sub connection read by the Qt event loop (QSocketNotifier): never blocks on
// reading. It keeps the set of channels it should hear, so after a reconnect (a Redis
// restart, a failover) it subscribes to all of them again and says so with resubscribed().
#pragma once

#include "redis/redislink.h"
#include "util/backoff.h"

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

    bool open(QString *error = nullptr);
    bool isUp() const { return m_up; }
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

    Locator m_locate;
    int m_timeoutMs;
    RedisLink m_link;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QSet<QByteArray> m_channels;
    QTimer m_retryTimer;
    Backoff m_backoff { { 100, 3000 } };
    int m_attempt = 0;
    bool m_up = false;
};

} // namespace Confab::Redis
