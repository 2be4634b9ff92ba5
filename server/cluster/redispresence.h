// Presence across the cluster. Each node counts its own connections per user and
// tells Redis only when a user's count on this node goes 0→1 or 1→0; Redis keeps, per
// user, the set of nodes holding a connection, so "online" means "some node has one".
// Every node refreshes a liveness key with a short TTL; the survivors sweep a node
// whose key expired (crash, kill -9, partition) and report its users offline. After
// Redis comes back the node registers its connections again, so presence converges.
#pragma once

#include "chat/presenceregistry.h"
#include "redis/redisconnection.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace Confab::Cluster {

struct PresenceOptions
{
    int heartbeatMs = 1000;   // liveness refresh
    int livenessTtlMs = 5000; // a node silent this long is dead
    int sweepMs = 2000;
};

class RedisPresence : public QObject, public Chat::PresenceRegistry
{
    Q_OBJECT
public:
    RedisPresence(Redis::RedisConnection *redis, const QString &nodeId, const PresenceOptions &options = {},
                  QObject *parent = nullptr);

    // Forgets what a previous run of this node left behind and starts the heartbeat.
    void start();

    bool attach(const QString &user, const QByteArray &connectionId, qint64 nowMs) override;
    bool detach(const QString &user, const QByteArray &connectionId, qint64 nowMs) override;
    void setStatus(const QString &user, const QString &status) override;
    Chat::PresenceState state(const QString &user) const override;

    qint64 sweptNodes() const { return m_sweptNodes; }
    // The cluster's nodes as Redis knows them: [{node, alive, users}] (a blocking read,
    // for the admin API); nothing when Redis cannot be reached.
    std::optional<QJsonArray> nodes() const;

Q_SIGNALS:
    // Users whose cluster-wide presence changed without a local attach or detach (a
    // dead node's users swept offline): their rooms should hear it.
    void usersChanged(const QStringList &users);

private:
    struct Local
    {
        QSet<QByteArray> connections;
        QString status = QStringLiteral("online");
        qint64 lastSeen = 0;
    };
    void heartbeat();
    void sweep();
    void probeNodes(const Redis::RedisReply &nodes);
    void judgeNodes(const QStringList &others, const QList<bool> &alive);
    void reregister();
    QStringList sweepNode(const QString &node, bool evenIfAlive);

    Redis::RedisConnection *m_redis;
    QString m_node;
    PresenceOptions m_options;
    QHash<QString, Local> m_local;
    QTimer m_heartbeat;
    QTimer m_sweep;
    int m_attachScript;
    int m_detachScript;
    int m_sweepScript;
    bool m_registered = false; // Redis has this node's connections
    QElapsedTimer m_sweepHold; // since Redis came back
    QSet<QString> m_suspects;  // nodes found without a liveness key at the last sweep
    bool m_sweeping = false;   // a sweep's questions are still on their way
    qint64 m_sweptNodes = 0;
};

} // namespace Confab::Cluster
