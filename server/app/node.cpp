#include "app/node.h"

#include "api/apihandler.h"
#include "api/fileshandler.h"
#include "app/loadguard.h"
#include "app/nodebackend.h"
#include "auth/tokens.h"
#include "chat/chatservice.h"
#include "engineio/engineserver.h"
#include "files/filescollector.h"
#include "files/filestore.h"
#include "ops/loadmonitor.h"
#include "ops/logging.h"
#include "ops/signalwatcher.h"
#include "realtime/server.h"
#include "transport/listener.h"
#include "websocket/iopool.h"

#include <QCoreApplication>
#include <QDir>

#include <sys/resource.h>

namespace Confab::App {

namespace {

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
        fprintf(stderr,
                "confabd: warning: --max-connections %d needs about %llu open files; this process may open %llu "
                "(raise LimitNOFILE / ulimit -Hn)\n",
                maxConnections, static_cast<unsigned long long>(maxConnections + Reserve),
                static_cast<unsigned long long>(limit.rlim_cur));
}

EngineIo::EngineOptions engineOptions(const NodeConfig &config)
{
    EngineIo::EngineOptions options;
    options.pingIntervalMs = config.pingIntervalMs;
    options.pingTimeoutMs = config.pingTimeoutMs;
    options.maxPayload = config.maxPayload;
    options.outboundBudgetBytes = qint64(config.outboundBudgetKb) * 1024;
    options.corsOrigins = config.corsOrigins;
    options.maxSessionsPerAddress = config.maxSessionsPerAddress;
    options.trustedProxies = config.trustedProxies;
    return options;
}

Ops::LoadMarks loadMarks(const NodeConfig &config)
{
    Ops::LoadMarks marks;
    marks.memoryHighBytes = qint64(config.memoryHighMb) << 20;
    marks.memoryCriticalBytes = qint64(config.memoryCriticalMb) << 20;
    marks.lagHighMs = config.lagHighMs;
    marks.lagCriticalMs = config.lagCriticalMs;
    return marks;
}

LoadGuardOptions guardOptions(const NodeConfig &config)
{
    LoadGuardOptions options;
    options.maxConnections = config.maxConnections;
    options.maxAcceptPerSecond = config.maxAcceptRate;
    options.drainMs = config.drainSeconds * 1000;
    return options;
}

Chat::ChatOptions chatOptions(const NodeConfig &config)
{
    Chat::ChatOptions options;
    options.eventsPerSecond = config.eventsPerSecond;
    options.eventBurst = config.eventBurst;
    options.maxMembersPerRoom = config.maxMembersPerRoom;
    options.maxRoomsPerUser = config.maxRoomsPerUser;
    options.pauseReadsAt = config.pauseReadsAt;
    return options;
}

Api::ApiOptions apiOptions(const NodeConfig &config, const QByteArray &adminToken)
{
    Api::ApiOptions options;
    options.allowRegister = config.allowRegister;
    options.tokenTtlSeconds = config.tokenTtlSeconds;
    options.adminToken = adminToken;
    options.scryptLog2N = config.scryptLog2N;
    return options;
}

Api::FilesOptions filesOptions(const NodeConfig &config)
{
    return { .maxFileBytes = config.maxFileMb << 20, .quotaBytes = config.fileQuotaMb << 20 };
}

} // namespace

Node::Node(const NodeConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
}

Node::~Node() = default;

bool Node::start(QString *error)
{
    if (!QDir().mkpath(m_config.dataDir)) {
        *error = QStringLiteral("cannot create data dir %1").arg(m_config.dataDir);
        return false;
    }
    if (!loadSecrets(error) || !openBackend(error))
        return false;
    createServers();
    if (!createApi(error) || !listen(error))
        return false;
    watchSignals();
    announce();
    return true;
}

bool Node::loadSecrets(QString *error)
{
    const auto secret = Auth::TokenSigner::loadOrCreateSecret(m_config.tokenSecretFile, error);
    if (!secret)
        return false;
    QByteArray previousSecret;
    if (!m_config.previousTokenSecretFile.isEmpty()) {
        const auto previous = Auth::TokenSigner::loadOrCreateSecret(m_config.previousTokenSecretFile, error);
        if (!previous)
            return false;
        previousSecret = *previous;
    }
    const auto adminToken = Auth::TokenSigner::loadOrCreateSecret(m_config.adminTokenFile, error);
    if (!adminToken)
        return false;
    m_adminToken = *adminToken;
    m_tokens = std::make_unique<Auth::TokenSigner>(*secret, previousSecret);
    return true;
}

bool Node::openBackend(QString *error)
{
    m_backend = m_config.redisUrl.isEmpty() ? createEmbeddedBackend(m_config, &m_metrics, error)
                                            : createClusterBackend(m_config, &m_metrics, error);
    return m_backend != nullptr;
}

// Engine.IO, Socket.IO, the load guard and chat: each registers its own metrics.
void Node::createServers()
{
    EngineIo::EngineOptions options = engineOptions(m_config);
    options.sidPrefix = m_backend->sessionIdPrefix();
    // New sessions are refused (503, come back later) while the cluster store is down,
    // and while the load guard says the node is full, overloaded or draining.
    options.admission = [this](const Transport::HttpRequest &) -> std::optional<Transport::HttpResponse> {
        if (m_backend->store()->isAvailable())
            return m_guard ? m_guard->admit() : std::nullopt;
        Transport::HttpResponse refusal = Transport::HttpResponse::text(503, "store unreachable; retry\n");
        refusal.setHeader("Retry-After", "2");
        return refusal;
    };
    m_ioPool = std::make_unique<WebSocket::IoPool>(m_config.workers, m_config.maxPayload);
    m_engine = std::make_unique<EngineIo::EngineServer>(options, m_ioPool.get());
    m_engine->setMetrics(&m_metrics);
    m_io = std::make_unique<Realtime::Server>(m_engine.get());
    m_io->setMetrics(&m_metrics);

    m_loadMonitor = std::make_unique<Ops::LoadMonitor>(loadMarks(m_config));
    m_loadMonitor->setMetrics(&m_metrics);
    m_guard = std::make_unique<LoadGuard>(m_engine.get(), m_io.get(), m_loadMonitor.get(), guardOptions(m_config));
    m_guard->setMetrics(&m_metrics);
    raiseOpenFileLimit(m_config.maxConnections);

    m_chat = std::make_unique<Chat::ChatService>(m_io->of(QStringLiteral("/")), m_backend->store(), m_backend->bus(),
                                                 m_backend->presence(), m_tokens.get(), chatOptions(m_config));
    m_backend->attach(m_chat.get());
    m_chat->setMetrics(&m_metrics);
    // A store that falls behind pauses reading from clients rather than queueing without bound.
    connect(m_chat.get(), &Chat::ChatService::storeBehindChanged, m_engine.get(),
            &EngineIo::EngineServer::setReadingPaused);
}

bool Node::createApi(QString *error)
{
    m_fileStore = std::make_unique<Files::FileStore>(m_config.filesDir);
    if (!m_fileStore->open(error))
        return false;
    m_files = std::make_unique<Api::FilesHandler>(m_backend->store(), m_fileStore.get(), m_tokens.get(), &m_metrics,
                                                  filesOptions(m_config));
    m_filesCollector
        = std::make_unique<Files::FilesCollector>(m_backend->store(), m_fileStore.get(), &m_metrics,
                                                  Files::FilesCollector::Options {
                                                      .abandonedAfterMs = m_config.fileUnsentHours * 3600 * 1000,
                                                      .graceMs = m_config.fileGcGraceMinutes * 60 * 1000 });
    m_filesCollector->setInterval(m_config.fileGcIntervalMinutes * 60 * 1000);
    m_api = std::make_unique<Api::ApiHandler>(m_backend->store(), m_chat.get(), m_tokens.get(), &m_metrics,
                                              apiOptions(m_config, m_adminToken));
    // Not ready while full, overloaded, draining or with the cluster store out of reach:
    // the load balancer sends new users elsewhere, and new handshakes here are told to come back.
    m_api->setReadiness([this] { return m_guard->wantsConnections() && m_backend->isReady(); });
    m_api->setNodeControl(nodeControl());
    return true;
}

// What `confabctl drain|shed|stats|nodes` may do and see.
Api::NodeControl Node::nodeControl()
{
    Api::NodeControl control;
    control.drain = [this] { m_guard->drain(); };
    control.shed = [this](int count) { return m_guard->shed(count, QStringLiteral("rebalancing")); };
    control.status = [this] {
        static const char *levels[] = { "normal", "high", "critical" };
        return QJsonObject { { QStringLiteral("connections"), qint64(m_engine->sessionCount()) },
                             { QStringLiteral("load"), QLatin1String(levels[int(m_loadMonitor->level())]) },
                             { QStringLiteral("residentBytes"), m_loadMonitor->residentBytes() },
                             { QStringLiteral("eventLoopLagMs"), m_loadMonitor->lagMs() },
                             { QStringLiteral("draining"), m_guard->isDraining() } };
    };
    control.nodes = [this]() -> std::optional<QJsonArray> {
        std::optional<QJsonArray> nodes = m_backend->nodes(*m_chat);
        if (nodes) {
            for (QJsonValueRef node : *nodes) {
                QJsonObject entry = node.toObject();
                entry.insert(QStringLiteral("self"),
                             entry.value(QStringLiteral("node")).toString() == m_backend->nodeName());
                node = entry;
            }
        }
        return nodes;
    };
    control.collectFiles = [this](std::function<void(const QJsonObject &, bool)> done) {
        m_filesCollector->collect([done = std::move(done)](const Files::FilesCollector::Pass &pass) {
            done({ { QStringLiteral("records"), pass.records },
                   { QStringLiteral("contents"), pass.contents },
                   { QStringLiteral("bytes"), pass.bytes } },
                 pass.ok);
        });
    };
    return control;
}

bool Node::listen(QString *error)
{
    m_listener = std::make_unique<Transport::Listener>();
    Transport::HttpLimits limits;
    limits.maxBodyBytes = m_config.maxPayload;
    limits.trustedProxies = m_config.trustedProxies;
    limits.uploadDeadlineMs = int(m_config.uploadTimeoutSeconds * 1000);
    m_listener->setLimits(limits);
    if (!m_config.tlsCert.isEmpty() && !m_listener->setTlsFiles(m_config.tlsCert, m_config.tlsKey, error))
        return false;
    m_listener->addRoute("/socket.io/", m_engine.get());
    for (const char *path : { "/api/", "/healthz", "/readyz", "/metrics" })
        m_listener->addRoute(path, m_api.get());
    m_listener->addRoute("/api/v1/files", m_files.get());
    m_address = QHostAddress(m_config.listenAddress == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                                  : m_config.listenAddress);
    if (m_address.isNull()) {
        *error = QStringLiteral("--listen address %1 is not an IP address").arg(m_config.listenAddress);
        return false;
    }
    if (!m_listener->listen(m_address, m_config.listenPort)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.listenAddress)
                     .arg(m_config.listenPort)
                     .arg(m_listener->errorString());
        return false;
    }
    return true;
}

void Node::watchSignals()
{
    // Drained (SIGTERM, confabctl drain): every client was told where to go and left;
    // close the listener, let the store commit, exit 0.
    connect(m_guard.get(), &LoadGuard::drained, this, [this] {
        qCInfo(Ops::lcNode, "drained: every client left; exiting");
        m_listener->close();
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    });
    m_signals = std::make_unique<Ops::SignalWatcher>();
    connect(m_signals.get(), &Ops::SignalWatcher::terminationRequested, this, [this](int) {
        if (!m_guard->isDraining() && m_config.drainSeconds > 0)
            return m_guard->drain();
        quitNow(); // a second signal, or no drain period
    });
}

void Node::quitNow()
{
    qCInfo(Ops::lcNode, "closing every connection now");
    m_listener->close();
    m_engine->closeAll(QStringLiteral("server shutting down"));
    QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
}

// Last: whoever waits for this line may signal us right away.
void Node::announce()
{
    const QString scheme = m_listener->isSecure() ? QStringLiteral("https") : QStringLiteral("http");
    fprintf(stdout, "confabd %s listening on %s://%s:%u (%s)\n", CONFAB_VERSION, qPrintable(scheme),
            qPrintable(m_address.toString()), m_listener->serverPort(), qPrintable(m_backend->description()));
    fflush(stdout);
    qCInfo(Ops::lcNode, "listening on %s://%s:%u, %s", qPrintable(scheme), qPrintable(m_address.toString()),
           m_listener->serverPort(), qPrintable(m_backend->logDescription()));
}

} // namespace Confab::App
