#include "cluster/redisbus.h"

#include "cluster/rediskeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

namespace Confab::Cluster {

RedisBus::RedisBus(Redis::RedisConnection *redis, Redis::RedisSubscriber *subscriber, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_subscriber(subscriber)
{
    subscriber->subscribe(Keys::allChannel());
    connect(subscriber, &Redis::RedisSubscriber::message, this, [this](const QByteArray &, const QByteArray &payload) {
        if (auto envelope = decode(payload)) {
            ++m_received;
            deliver(*envelope);
        }
    });
}

QByteArray RedisBus::encode(const Chat::Envelope &envelope)
{
    QJsonObject object { { QStringLiteral("rooms"), QJsonArray::fromStringList(envelope.rooms) },
                         { QStringLiteral("event"), envelope.event },
                         { QStringLiteral("payload"), envelope.payload },
                         { QStringLiteral("except"), QString::fromLatin1(envelope.exceptSocketId) } };
    if (!envelope.users.isEmpty())
        object.insert(QStringLiteral("users"), QJsonArray::fromStringList(envelope.users));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<Chat::Envelope> RedisBus::decode(const QByteArray &data)
{
    const QJsonObject object = QJsonDocument::fromJson(data).object();
    if (!object.value(QStringLiteral("event")).isString())
        return std::nullopt;
    Chat::Envelope envelope;
    for (const QJsonValue &room : object.value(QStringLiteral("rooms")).toArray())
        envelope.rooms.append(room.toString());
    envelope.event = object.value(QStringLiteral("event")).toString();
    envelope.payload = object.value(QStringLiteral("payload")).toObject();
    envelope.exceptSocketId = object.value(QStringLiteral("except")).toString().toLatin1();
    for (const QJsonValue &user : object.value(QStringLiteral("users")).toArray())
        envelope.users.append(user.toString());
    return envelope;
}

void RedisBus::publish(const Chat::Envelope &envelope)
{
    m_pending.append(envelope);
    m_flush.schedule();
}

void RedisBus::flush()
{
    const QList<Chat::Envelope> batch = std::exchange(m_pending, {});
    // While this node's subscription is down it would not hear its own envelopes:
    // deliver them here as well as publishing them for the other nodes.
    const bool hearsItself = m_subscriber->isListening();
    for (const Chat::Envelope &envelope : batch) {
        // Addressed to users as well: every node, since theirs may not follow the room (yet).
        const QByteArray channel = envelope.rooms.size() == 1 && envelope.users.isEmpty()
            ? Keys::roomChannel(envelope.rooms.first())
            : Keys::allChannel();
        if (!hearsItself) {
            ++m_localOnly;
            deliver(envelope);
        }
        // The connection may outlive the bus and fail what is outstanding when it closes.
        m_redis->commandAsync({ "PUBLISH", channel, encode(envelope) },
                              [self = QPointer<RedisBus>(this), envelope,
                               hearsItself](const std::optional<Redis::RedisReply> &reply) {
                                  if (!self)
                                      return;
                                  if (reply) {
                                      ++self->m_published;
                                  } else if (hearsItself) {
                                      // Redis is out of reach: at least this node's users get it.
                                      ++self->m_localOnly;
                                      self->deliver(envelope);
                                  }
                              });
    }
}

void RedisBus::watchRoom(const QString &room)
{
    m_subscriber->subscribe(Keys::roomChannel(room));
}

void RedisBus::unwatchRoom(const QString &room)
{
    m_subscriber->unsubscribe(Keys::roomChannel(room));
}

} // namespace Confab::Cluster
