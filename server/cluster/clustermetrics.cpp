#include "cluster/clustermetrics.h"

#include "cluster/redisbus.h"
#include "cluster/redispresence.h"
#include "cluster/redisstore.h"
#include "ops/metrics.h"
#include "redis/redisconnection.h"
#include "redis/redissubscriber.h"

namespace Confab::Cluster {

void describeMetrics(Ops::Metrics *metrics, const Redis::RedisConnection *redis,
                     const Redis::RedisSubscriber *subscriber, const RedisStore *store, const RedisBus *bus,
                     const RedisPresence *presence)
{
    const auto add = [metrics](const QByteArray &name, Ops::Metrics::Type type, const QByteArray &help, auto value) {
        metrics->describe(name, type, help);
        metrics->addGaugeSource(name, [value] {
            return QList<std::pair<QByteArray, double>> { { {}, double(value()) } };
        });
    };
    add("confab_redis_up", Ops::Metrics::Gauge, "1 while the command connection to the Redis master is up",
        [redis] { return redis->isUp() ? 1 : 0; });
    add("confab_redis_subscriber_up", Ops::Metrics::Gauge, "1 while the pub/sub connection is up",
        [subscriber] { return subscriber->isUp() ? 1 : 0; });
    add("confab_redis_subscribed_channels", Ops::Metrics::Gauge, "Pub/sub channels this node listens to",
        [subscriber] { return subscriber->channelCount(); });
    add("confab_redis_connects_total", Ops::Metrics::Counter, "Successful (re)connections to a Redis master",
        [redis] { return redis->connects(); });
    add("confab_redis_failures_total", Ops::Metrics::Counter, "Redis calls that failed (the connection then went down)",
        [redis] { return redis->failures(); });
    add("confab_redis_round_trips_total", Ops::Metrics::Counter, "Round trips (pipelines) to Redis",
        [redis] { return redis->roundTrips(); });
    add("confab_redis_last_round_trip_ms", Ops::Metrics::Gauge, "Duration of the last Redis round trip",
        [redis] { return redis->lastRoundTripMs(); });
    add("confab_store_batches_total", Ops::Metrics::Counter, "Append pipelines sent to Redis (group commits)",
        [store] { return store->batches(); });
    add("confab_store_replication_shortfalls_total", Ops::Metrics::Counter,
        "Append batches refused because too few replicas confirmed them in time",
        [store] { return store->replicationShortfalls(); });
    add("confab_bus_published_total", Ops::Metrics::Counter, "Envelopes published to Redis",
        [bus] { return bus->published(); });
    add("confab_bus_received_total", Ops::Metrics::Counter, "Envelopes received from Redis",
        [bus] { return bus->received(); });
    add("confab_bus_local_only_total", Ops::Metrics::Counter,
        "Envelopes delivered on this node only (Redis unreachable)", [bus] { return bus->deliveredLocallyOnly(); });
    add("confab_presence_swept_nodes_total", Ops::Metrics::Counter, "Dead nodes whose users this node swept offline",
        [presence] { return presence->sweptNodes(); });
}

} // namespace Confab::Cluster
