// The cluster's figures on /metrics: Redis state and round trip, bus traffic, sweeps.
#pragma once

namespace Confab::Ops {
class Metrics;
}
namespace Confab::Redis {
class RedisConnection;
class RedisSubscriber;
}

namespace Confab::Cluster {

class RedisStore;
class RedisBus;
class RedisPresence;

void describeMetrics(Ops::Metrics *metrics, const Redis::RedisConnection *redis,
                     const Redis::RedisSubscriber *subscriber, const RedisStore *store, const RedisBus *bus,
                     const RedisPresence *presence);

} // namespace Confab::Cluster
