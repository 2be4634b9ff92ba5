// confabd: the one place that wires a node together. Embedded mode: SQLite store,
// in-process bus, local presence.
#include "api/apihandler.h"
#include "app/nodeconfig.h"
#include "auth/tokens.h"
#include "chat/chatservice.h"
#include "engineio/engineserver.h"
#include "ops/metrics.h"
#include "ops/signalwatcher.h"
#include "realtime/server.h"
#include "storage/sqlitestore.h"
#include "transport/listener.h"

#include <QCoreApplication>
#include <QDir>

using namespace Confab;

namespace {

int fail(const QString &message)
{
    fprintf(stderr, "confabd: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
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

    Storage::SqliteStore store;
    if (!store.open(QDir(config.dataDir).filePath(QStringLiteral("confab.db")), &error))
        return fail(error);

    Ops::Metrics metrics;
    EngineIo::EngineOptions engineOptions;
    engineOptions.pingIntervalMs = config.pingIntervalMs;
    engineOptions.pingTimeoutMs = config.pingTimeoutMs;
    engineOptions.maxPayload = config.maxPayload;
    engineOptions.corsOrigins = config.corsOrigins;
    EngineIo::EngineServer engine(engineOptions);
    engine.setMetrics(&metrics);
    Realtime::Server io(&engine);
    io.setMetrics(&metrics);

    Chat::LocalBus bus;
    Chat::LocalPresence presence;
    Chat::ChatOptions chatOptions;
    chatOptions.eventsPerSecond = config.eventsPerSecond;
    chatOptions.eventBurst = config.eventBurst;
    Chat::ChatService chat(io.of(QStringLiteral("/")), &store, &bus, &presence, &tokens, chatOptions);
    metrics.describe("confab_messages_accepted_total", Ops::Metrics::Counter, "Messages stored and acknowledged");
    metrics.addGaugeSource("confab_messages_accepted_total", [&chat] {
        return QList<std::pair<QByteArray, double>> { { {}, double(chat.messagesAccepted()) } };
    });
    metrics.describe("confab_store_commits_total", Ops::Metrics::Counter, "Store transactions (group commits)");
    metrics.addGaugeSource("confab_store_commits_total", [&store] {
        return QList<std::pair<QByteArray, double>> { { {}, double(store.commits()) } };
    });

    Api::ApiOptions apiOptions;
    apiOptions.allowRegister = config.allowRegister;
    apiOptions.tokenTtlSeconds = config.tokenTtlSeconds;
    apiOptions.adminToken = *adminToken;
    apiOptions.scryptLog2N = config.scryptLog2N;
    Api::ApiHandler api(&store, &chat, &tokens, &metrics, apiOptions);
    bool draining = false;
    api.setReadiness([&draining] { return !draining; });

    Transport::Listener listener;
    Transport::HttpLimits limits;
    limits.maxBodyBytes = config.maxPayload;
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

    const QString scheme = listener.isSecure() ? QStringLiteral("https") : QStringLiteral("http");
    fprintf(stdout, "confabd %s listening on %s://%s:%u (data in %s)\n", CONFAB_VERSION, qPrintable(scheme),
            qPrintable(address.toString()), listener.serverPort(), qPrintable(config.dataDir));
    fflush(stdout);

    Ops::SignalWatcher signals;
    QObject::connect(&signals, &Ops::SignalWatcher::terminationRequested, &app, [&](int) {
        // Stop taking connections, close the ones we have, let the store commit, exit 0.
        draining = true;
        listener.close();
        engine.closeAll(QStringLiteral("server shutting down"));
        QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    return app.exec();
}
