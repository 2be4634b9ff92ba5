// The cluster bus: an envelope for one room is published once on that room's channel,
// which only nodes with a member of the room subscribe to; envelopes for several rooms
// or for everyone go on the all-nodes channel. Publishes queued in one event-loop pass
// leave as one pipeline. While Redis is unreachable envelopes are delivered on this
// node, so its own users keep seeing typing and presence.
#pragma once

#include "chat/bus.h"
#include "redis/redisconnection.h"
#include "redis/redissubscriber.h"
#include "util/endofpass.h"

#include <QHash>
#include <QObject>

namespace Confab::Cluster {

class RedisBus : public QObject, public Chat::Bus
{
    Q_OBJECT
public:
    RedisBus(Redis::RedisConnection *redis, Redis::RedisSubscriber *subscriber, QObject *parent = nullptr);

    void publish(const Chat::Envelope &envelope) override;
    void watchRoom(const QString &room) override;
    void unwatchRoom(const QString &room) override;

    qint64 published() const { return m_published; }
    qint64 received() const { return m_received; }
    qint64 deliveredLocallyOnly() const { return m_localOnly; }

    static QByteArray encode(const Chat::Envelope &envelope);
    static std::optional<Chat::Envelope> decode(const QByteArray &data);

private:
    void flush();

    Redis::RedisConnection *m_redis;
    Redis::RedisSubscriber *m_subscriber;
    QList<Chat::Envelope> m_pending;
    EndOfPass<RedisBus> m_flush { this, &RedisBus::flush }; // a pass's publishes in one pipeline
    qint64 m_published = 0;
    qint64 m_received = 0;
    qint64 m_localOnly = 0;
};

} // namespace Confab::Cluster
