// confabd: the one place that wires a node together. Embedded mode: SQLite store,
// in-process bus, local presence. With --redis: the Redis store, bus and presence of
// a cluster node.
#include "api/apihandler.h"
#include "app/loadguard.h"
#include "app/nodeconfig.h"
#include "auth/tokens.h"
#include "chat/chatservice.h"
#include "cluster/clustermetrics.h"
#include "cluster/redisbus.h"
#include "cluster/redispresence.h"
#include "cluster/redisstore.h"

#include "engineio/engineserver.h"
#include "engineio/enginesession.h"
#include "ops/loadmonitor.h"
#include "ops/logging.h"
#include "ops/metrics.h"
#include "ops/signalwatcher.h"
#include "realtime/client.h"
#include "realtime/server.h"
#include "redis/redisconnection.h"
#include "redis/redissubscriber.h"
#include "storage/sqlitestore.h"
#include "transport/listener.h"
#include "util/ids.h"
#include "websocket/iopool.h"

#include <QCoreApplication>
#include <QDir>

#include <memory>

#include <sys/resource.h>

using namespace Confab;

namespace {

int fail(const QString &message)
{
    fprintf(stderr, "confabd: %s\n", qPrintable(message));
    return 2;
}

// Every connection is a file: take all the open files the hard limit allows, and say so
// when --max-connections could not be reached within it.
void raiseOpenFileLimit(int maxConnections)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    constexpr rlim_t Reserve = 64; // the store, Redis links, the listener, logs
    if (maxConnections > 0 && rlim_t(maxConnections) + Reserve > limit.rlim_cur)
        fprintf(stderr, "confabd: warning: --max-connections %d needs about %llu open files; this process may open %llu "
                        "(raise LimitNOFILE / ulimit -Hn)\n",
                maxConnections, static_cast<unsigned long long>(maxConnections + Reserve),
                static_cast<unsigned long long>(limit.rlim_cur));
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's own poll()-based event dispatcher instead of GLib's: with thousands of sockets
    // GLib rebuilds its source list every pass. Measured on 1,000 subscribers: half the
    // CPU at 20 msgs/s and a p99 of 13 ms instead of 62 ms at 100k deliveries/s
    // (docs/BENCHMARKS.md). confabd has no GLib-based integrations to lose.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("confab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));

    App::NodeConfig config;
    QString error;
    switch (App::loadNodeConfig(app.arguments(), &config, &error)) {
    case App::ConfigOutcome::Exit: return 0;
    case App::ConfigOutcome::Error: return fail(error);
    case App::ConfigOutcome::Run: break;
    }
    Ops::installLogHandler(config.logFormat.isEmpty() ? Ops::defaultLogFormat() : *Ops::parseLogFormat(config.logFormat));
    if (!QDir().mkpath(config.dataDir))
        return fail(QStringLiteral("cannot create data dir %1").arg(config.dataDir));

    const auto secret = Auth::TokenSigner::loadOrCreateSecret(config.tokenSecretFile, &error);
    if (!secret)
        return fail(error);
    QByteArray previousSecret;
    if (!config.previousTokenSecretFile.isEmpty()) {
        const auto previous = Auth::TokenSigner::loadOrCreateSecret(config.previousTokenSecretFile, &error);
        if (!previous)
            return fail(error);
        previousSecret = *previous;
    }
    const auto adminToken = Auth::TokenSigner::loadOrCreateSecret(config.adminTokenFile, &error);
    if (!adminToken)
        return fail(error);
    const Auth::TokenSigner tokens(*secret, previousSecret);

    Ops::Metrics metrics;
    const QString nodeId = config.nodeId.isEmpty() ? QString::fromLatin1(randomId().left(8)).toLower() : config.nodeId;

    // The three interfaces the chat service runs on: embedded or cluster.
    std::unique_ptr<Storage::SqliteStore> sqliteStore;
    std::unique_ptr<Chat::LocalBus> localBus;
    std::unique_ptr<Chat::LocalPresence> localPresence;
    std::unique_ptr<Redis::RedisConnection> redis;
    std::unique_ptr<Redis::RedisSubscriber> subscriber;
    std::unique_ptr<Redis::RedisSubscriber> sentinelWatch;
    std::unique_ptr<Cluster::RedisStore> redisStore;
    std::unique_ptr<Cluster::RedisBus> redisBus;
    std::unique_ptr<Cluster::RedisPresence> redisPresence;
    Chat::Store *store = nullptr;
    Chat::Bus *bus = nullptr;
    Chat::PresenceRegistry *presence = nullptr;
    if (config.redisUrl.isEmpty()) {
        sqliteStore = std::make_unique<Storage::SqliteStore>();
        if (!sqliteStore->open(QDir(config.dataDir).filePath(QStringLiteral("confab.db")), &error))
            return fail(error);
        localBus = std::make_unique<Chat::LocalBus>();
        localPresence = std::make_unique<Chat::LocalPresence>(sqliteStore.get());
        store = sqliteStore.get();
        bus = localBus.get();
        presence = localPresence.get();
        metrics.describe("confab_store_commits_total", Ops::Metrics::Counter, "Store transactions (group commits)");
        metrics.addGaugeSource("confab_store_commits_total", [s = sqliteStore.get()] {
            return QList<std::pair<QByteArray, double>> { { {}, double(s->commits()) } };
        });
    } else {
        const auto endpoint = Redis::RedisEndpoint::parse(config.redisUrl, &error);
        if (!endpoint)
            return fail(error);
        redis = std::make_unique<Redis::RedisConnection>(*endpoint);
        subscriber = std::make_unique<Redis::RedisSubscriber>(
            [e = *endpoint](QString *why) { return Redis::resolveMaster(e, 1000, why); });
        Cluster::RedisStoreOptions storeOptions;
        storeOptions.waitReplicas = config.redisWaitReplicas;
        redisStore = std::make_unique<Cluster::RedisStore>(redis.get(), storeOptions);
        redisBus = std::make_unique<Cluster::RedisBus>(redis.get(), subscriber.get());
        redisPresence = std::make_unique<Cluster::RedisPresence>(redis.get(), nodeId);
        store = redisStore.get();
        bus = redisBus.get();
        presence = redisPresence.get();
        // A node starts only with Redis reachable; afterwards it rides out outages.
        if (!redis->open(&error) || !subscriber->open(&error))
            return fail(QStringLiteral("cannot reach Redis at %1: %2").arg(endpoint->toString(), error));
        if (endpoint->usesSentinel()) {
            // Follow a failover the moment a Sentinel announces it, not at the next error.
            sentinelWatch = std::make_unique<Redis::RedisSubscriber>([e = *endpoint, next = 0](QString *why) mutable {
                const Redis::HostPort sentinel = e.sentinels.at(next++ % e.sentinels.size());
                Q_UNUSED(why);
                return std::optional<Redis::HostPort>(sentinel);
            });
            sentinelWatch->subscribe("+switch-master");
            QObject::connect(sentinelWatch.get(), &Redis::RedisSubscriber::message, &app, [&](const QByteArray &, const QByteArray &) {
                redis->reconnect();
                subscriber->reconnect();
            });
            sentinelWatch->open();
        }
        Cluster::describeMetrics(&metrics, redis.get(), subscriber.get(), redisStore.get(), redisBus.get(),
                                 redisPresence.get());
    }

    EngineIo::EngineOptions engineOptions;
    engineOptions.pingIntervalMs = config.pingIntervalMs;
    engineOptions.pingTimeoutMs = config.pingTimeoutMs;
    engineOptions.maxPayload = config.maxPayload;
    engineOptions.outboundBudgetBytes = qint64(config.outboundBudgetKb) * 1024;
    engineOptions.webSocketWorkers = config.workers;
    engineOptions.corsOrigins = config.corsOrigins;
    engineOptions.maxSessionsPerAddress = config.maxSessionsPerAddress;
    engineOptions.trustedProxies = config.trustedProxies;
    if (redis)
        engineOptions.sidPrefix = nodeId.toLatin1() + '.';
    // New sessions are refused (503, come back later) while the cluster store is down,
    // and while the load guard says the node is full, overloaded or draining.
    App::LoadGuard *loadGuard = nullptr;
    engineOptions.admission = [store, &loadGuard](const Transport::HttpRequest &) -> std::optional<Transport::HttpResponse> {
        if (store->isAvailable())
            return loadGuard ? loadGuard->admit() : std::nullopt;
        Transport::HttpResponse refusal = Transport::HttpResponse::text(503, "store unreachable; retry\n");
        refusal.setHeader("Retry-After", "2");
        return refusal;
    };
    WebSocket::IoPool ioPool(engineOptions.webSocketWorkers, engineOptions.maxPayload); // outlives the engine
    EngineIo::EngineServer engine(engineOptions, &ioPool);
    engine.setMetrics(&metrics);
    Realtime::Server io(&engine);
    io.setMetrics(&metrics);

    Ops::LoadMarks marks;
    marks.memoryHighBytes = qint64(config.memoryHighMb) << 20;
    marks.memoryCriticalBytes = qint64(config.memoryCriticalMb) << 20;
    marks.lagHighMs = config.lagHighMs;
    marks.lagCriticalMs = config.lagCriticalMs;
    Ops::LoadMonitor loadMonitor(marks);
    loadMonitor.setMetrics(&metrics);
    App::LoadGuardOptions guardOptions;
    guardOptions.maxConnections = config.maxConnections;
    guardOptions.maxAcceptPerSecond = config.maxAcceptRate;
    guardOptions.drainMs = config.drainSeconds * 1000;
    App::LoadGuard guard(&engine, &io, &loadMonitor, guardOptions);
    guard.setMetrics(&metrics);
    loadGuard = &guard;
    raiseOpenFileLimit(config.maxConnections);

    Chat::ChatOptions chatOptions;
    chatOptions.eventsPerSecond = config.eventsPerSecond;
    chatOptions.eventBurst = config.eventBurst;
    chatOptions.maxMembersPerRoom = config.maxMembersPerRoom;
    chatOptions.maxRoomsPerUser = config.maxRoomsPerUser;
    chatOptions.pauseReadsAt = config.pauseReadsAt;
    Chat::ChatService chat(io.of(QStringLiteral("/")), store, bus, presence, &tokens, chatOptions);
    if (redis) {
        QObject::connect(redisPresence.get(), &Cluster::RedisPresence::usersChanged, &chat, &Chat::ChatService::announcePresence);
        QObject::connect(redis.get(), &Redis::RedisConnection::upChanged, &chat, [&chat](bool up) {
            if (up)
                QMetaObject::invokeMethod(&chat, &Chat::ChatService::storeRecovered, Qt::QueuedConnection);
        });
        redisPresence->start();
    }
    chat.setMetrics(&metrics);
    // A store that falls behind pauses reading from clients rather than queueing without bound.
    QObject::connect(&chat, &Chat::ChatService::storeBehindChanged, &engine, &EngineIo::EngineServer::setReadingPaused);
    metrics.describe("confab_reading_paused", Ops::Metrics::Gauge, "1 while reading from clients is paused (the store is behind)");
    metrics.addGaugeSource("confab_reading_paused", [&engine] {
        return QList<std::pair<QByteArray, double>> { { {}, engine.isReadingPaused() ? 1.0 : 0.0 } };
    });
    metrics.describe("confab_outbound_queued_bytes", Ops::Metrics::Gauge,
                     "Bytes written to connections and not yet taken by the clients (all sessions)");
    metrics.addGaugeSource("confab_outbound_queued_bytes", [&io] {
        double queued = 0;
        for (const Realtime::Client *client : io.clients())
            queued += client->session() ? double(client->session()->queuedBytes()) : 0;
        return QList<std::pair<QByteArray, double>> { { {}, queued } };
    });
    metrics.describe("confab_messages_accepted_total", Ops::Metrics::Counter, "Messages stored and acknowledged");
    metrics.addGaugeSource("confab_messages_accepted_total", [&chat] {
        return QList<std::pair<QByteArray, double>> { { {}, double(chat.messagesAccepted()) } };
    });

    Api::ApiOptions apiOptions;
    apiOptions.allowRegister = config.allowRegister;
    apiOptions.tokenTtlSeconds = config.tokenTtlSeconds;
    apiOptions.adminToken = *adminToken;
    apiOptions.scryptLog2N = config.scryptLog2N;
    Api::ApiHandler api(store, &chat, &tokens, &metrics, apiOptions);
    // Not ready while full, overloaded, draining or with the cluster store out of reach:
    // the load balancer sends new users elsewhere, and new handshakes here are told to come back.
    api.setReadiness([&guard, store, &subscriber] {
        return guard.wantsConnections() && store->isAvailable() && (!subscriber || subscriber->isUp());
    });
    Api::NodeControl control;
    control.drain = [&guard] { guard.drain(); };
    control.shed = [&guard](int count) { return guard.shed(count, QStringLiteral("rebalancing")); };
    control.status = [&guard, &engine, &loadMonitor] {
        static const char *levels[] = { "normal", "high", "critical" };
        return QJsonObject { { QStringLiteral("connections"), qint64(engine.sessionCount()) },
                             { QStringLiteral("load"), QLatin1String(levels[int(loadMonitor.level())]) },
                             { QStringLiteral("residentBytes"), loadMonitor.residentBytes() },
                             { QStringLiteral("eventLoopLagMs"), loadMonitor.lagMs() },
                             { QStringLiteral("draining"), guard.isDraining() } };
    };
    const QString thisNode = redis ? nodeId : QStringLiteral("embedded");
    control.nodes = [&redisPresence, &chat, thisNode]() -> std::optional<QJsonArray> {
        std::optional<QJsonArray> nodes = redisPresence
            ? redisPresence->nodes()
            : QJsonArray { QJsonObject { { QStringLiteral("node"), thisNode }, { QStringLiteral("alive"), true },
                                         { QStringLiteral("users"), chat.connectedUsers() } } };
        if (nodes) {
            for (QJsonValueRef node : *nodes) {
                QJsonObject entry = node.toObject();
                entry.insert(QStringLiteral("self"), entry.value(QStringLiteral("node")).toString() == thisNode);
                node = entry;
            }
        }
        return nodes;
    };
    api.setNodeControl(control);

    Transport::Listener listener;
    Transport::HttpLimits limits;
    limits.maxBodyBytes = config.maxPayload;
    limits.trustedProxies = config.trustedProxies;
    listener.setLimits(limits);
    if (!config.tlsCert.isEmpty() && !listener.setTlsFiles(config.tlsCert, config.tlsKey, &error))
        return fail(error);
    listener.addRoute("/socket.io/", &engine);
    listener.addRoute("/api/", &api);
    listener.addRoute("/healthz", &api);
    listener.addRoute("/readyz", &api);
    listener.addRoute("/metrics", &api);
    const QHostAddress address(config.listenAddress == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                                  : config.listenAddress);
    if (address.isNull())
        return fail(QStringLiteral("--listen address %1 is not an IP address").arg(config.listenAddress));
    if (!listener.listen(address, config.listenPort))
        return fail(QStringLiteral("cannot listen on %1:%2: %3")
                        .arg(config.listenAddress).arg(config.listenPort).arg(listener.errorString()));

    // Drained (SIGTERM, confabctl drain): every client was told where to go and left;
    // close the listener, let the store commit, exit 0.
    QObject::connect(&guard, &App::LoadGuard::drained, &app, [&] {
        qCInfo(Ops::lcNode, "drained: every client left; exiting");
        listener.close();
        QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    Ops::SignalWatcher signals;
    QObject::connect(&signals, &Ops::SignalWatcher::terminationRequested, &app, [&](int) {
        if (!guard.isDraining() && config.drainSeconds > 0)
            return guard.drain();
        qCInfo(Ops::lcNode, "closing every connection now");
        // A second signal, or no drain period: close everything now.
        listener.close();
        engine.closeAll(QStringLiteral("server shutting down"));
        QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    // Announced last: whoever waits for this line may signal us right away.
    const QString scheme = listener.isSecure() ? QStringLiteral("https") : QStringLiteral("http");
    fprintf(stdout, "confabd %s listening on %s://%s:%u (%s)\n", CONFAB_VERSION, qPrintable(scheme),
            qPrintable(address.toString()), listener.serverPort(),
            qPrintable(redis ? QStringLiteral("cluster node %1, Redis %2").arg(nodeId, redis->endpoint().toString())
                             : QStringLiteral("data in %1").arg(config.dataDir)));
    fflush(stdout);
    qCInfo(Ops::lcNode, "listening on %s://%s:%u, %s", qPrintable(scheme), qPrintable(address.toString()),
           listener.serverPort(), redis ? qPrintable(QStringLiteral("cluster node %1").arg(nodeId)) : "embedded store");
    return app.exec();
}
