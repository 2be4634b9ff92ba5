// A cluster node's backend: the Redis store, bus and presence, with a link that follows
// a Sentinel failover the moment it is announced.
#include "app/nodebackend.h"
#include "app/nodeconfig.h"
#include "chat/chatservice.h"
#include "cluster/clustermetrics.h"
#include "cluster/redisbus.h"
#include "cluster/redispresence.h"
#include "cluster/redisstore.h"
#include "redis/redisconnection.h"
#include "redis/redissubscriber.h"

namespace Confab::App {

namespace {

Cluster::RedisStoreOptions storeOptions(const NodeConfig &config)
{
    Cluster::RedisStoreOptions options;
    options.waitReplicas = config.redisWaitReplicas;
    return options;
}

class ClusterBackend final : public NodeBackend
{
public:
    ClusterBackend(const Redis::RedisEndpoint &endpoint, const NodeConfig &config)
        : m_nodeId(config.nodeId)
        , m_redis(endpoint)
        , m_subscriber([endpoint](QString *why) { return Redis::resolveMaster(endpoint, 1000, why); })
        , m_store(&m_redis, storeOptions(config))
        , m_bus(&m_redis, &m_subscriber)
        , m_presence(&m_redis, m_nodeId)
    {
    }

    // A node starts only with Redis reachable; afterwards it rides out outages.
    bool open(QString *error)
    {
        if (!m_redis.open(error) || !m_subscriber.open(error)) {
            *error = QStringLiteral("cannot reach Redis at %1: %2").arg(m_redis.endpoint().toString(), *error);
            return false;
        }
        if (m_redis.endpoint().usesSentinel())
            watchSentinels();
        return true;
    }

    void registerMetrics(Ops::Metrics *metrics)
    {
        Cluster::describeMetrics(metrics, &m_redis, &m_subscriber, &m_store, &m_bus, &m_presence);
    }

    Chat::Store *store() override { return &m_store; }
    Chat::Bus *bus() override { return &m_bus; }
    Chat::PresenceRegistry *presence() override { return &m_presence; }
    bool isReady() const override { return m_store.isAvailable() && m_subscriber.isUp(); }
    QByteArray sessionIdPrefix() const override { return m_nodeId.toLatin1() + '.'; }
    QString nodeName() const override { return m_nodeId; }
    std::optional<QJsonArray> nodes(const Chat::ChatService &) const override { return m_presence.nodes(); }

    void attach(Chat::ChatService *chat) override
    {
        connect(&m_presence, &Cluster::RedisPresence::usersChanged, chat, &Chat::ChatService::announcePresence);
        connect(&m_redis, &Redis::RedisConnection::upChanged, chat, [chat](bool up) {
            if (up)
                QMetaObject::invokeMethod(chat, &Chat::ChatService::storeRecovered, Qt::QueuedConnection);
        });
        m_presence.start();
    }

    QString description() const override
    {
        return QStringLiteral("cluster node %1, Redis %2").arg(m_nodeId, m_redis.endpoint().toString());
    }
    QString logDescription() const override { return QStringLiteral("cluster node %1").arg(m_nodeId); }

private:
    // Follow a failover the moment a Sentinel announces it, not at the next error.
    void watchSentinels()
    {
        const QList<Redis::HostPort> sentinels = m_redis.endpoint().sentinels;
        m_sentinelWatch = std::make_unique<Redis::RedisSubscriber>([sentinels, next = 0](QString *) mutable {
            return std::optional<Redis::HostPort>(sentinels.at(next++ % sentinels.size()));
        });
        m_sentinelWatch->subscribe("+switch-master");
        connect(m_sentinelWatch.get(), &Redis::RedisSubscriber::message, this,
                [this](const QByteArray &, const QByteArray &) {
                    m_redis.reconnect();
                    m_subscriber.reconnect();
                });
        m_sentinelWatch->open();
    }

    const QString m_nodeId;
    Redis::RedisConnection m_redis;
    Redis::RedisSubscriber m_subscriber;
    Cluster::RedisStore m_store;
    Cluster::RedisBus m_bus;
    Cluster::RedisPresence m_presence;
    std::unique_ptr<Redis::RedisSubscriber> m_sentinelWatch;
};

} // namespace

std::unique_ptr<NodeBackend> createClusterBackend(const NodeConfig &config, Ops::Metrics *metrics, QString *error)
{
    const auto endpoint = Redis::RedisEndpoint::parse(config.redisUrl, error);
    if (!endpoint)
        return nullptr;
    auto backend = std::make_unique<ClusterBackend>(*endpoint, config);
    if (!backend->open(error))
        return nullptr;
    backend->registerMetrics(metrics);
    return backend;
}

} // namespace Confab::App
