// protocol-fixture: the servers the official Engine.IO and Socket.IO compliance suites
// expect, on one port: /engine.io/ is a bare Engine.IO echo server and /socket.io/ the
// Socket.IO reference server, configured as the suites' READMEs ask. The interop
// tests (tests/interop) drive it with the stock socket.io-client too.
#include "engineio/engineserver.h"
#include "ops/metrics.h"
#include "realtime/server.h"
#include "realtime/socket.h"
#include "transport/listener.h"
#include "websocket/iopool.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

using namespace Confab;

namespace {

class MetricsHandler : public Transport::HttpHandler
{
public:
    explicit MetricsHandler(Ops::Metrics *metrics)
        : m_metrics(metrics)
    {
    }
    void handleRequest(Transport::HttpConnection *connection, const Transport::HttpRequest &) override
    {
        connection->respond(
            Transport::HttpResponse::text(200, m_metrics->render(), "text/plain; version=0.0.4; charset=utf-8"));
    }

private:
    Ops::Metrics *m_metrics;
};

void echoEngineMessages(EngineIo::EngineServer *engine)
{
    QObject::connect(engine, &EngineIo::EngineServer::sessionOpened, engine, [](EngineIo::EngineSession *session) {
        QObject::connect(session, &EngineIo::EngineSession::textReceived, session,
                         [session](const QByteArray &text) { session->sendText(text); });
        QObject::connect(session, &EngineIo::EngineSession::binaryReceived, session,
                         [session](const QByteArray &bytes) { session->sendBinary(bytes); });
    });
}

// The suites' client awaits each frame with a fresh one-shot listener (ws 8.5), so a
// frame that arrives in the same TCP read as the connect answer is never seen. The
// reference server's per-session write queue sends its first event a loop turn later;
// on loopback that is not always enough here, so the fixture waits a few ms. Only the
// fixture does this: the server sends as soon as it can. See docs/CONFORMANCE.md.
constexpr int AuthEventDelayMs = 10;

void emitAuthSoon(Realtime::Socket *socket)
{
    QTimer::singleShot(AuthEventDelayMs, socket,
                       [socket] { socket->emitEvent(QStringLiteral("auth"), { socket->auth() }); });
}

void serveReferenceHandlers(Realtime::Server *io)
{
    using Realtime::Ack;
    using Realtime::Socket;
    QObject::connect(io->of(QStringLiteral("/")), &Realtime::Namespace::connected, io, [](Socket *socket) {
        emitAuthSoon(socket);
        socket->on(QStringLiteral("message"),
                   [socket](const QJsonArray &args, const QList<QByteArray> &bins, const Ack &) {
                       socket->emitEvent(QStringLiteral("message-back"), args, bins);
                   });
        socket->on(QStringLiteral("message-with-ack"),
                   [](const QJsonArray &args, const QList<QByteArray> &bins, const Ack &ack) { ack.send(args, bins); });
        // Beyond the reference server, for tests/interop: a server-to-client ack and a broadcast.
        socket->on(QStringLiteral("request-server-ack"),
                   [socket](const QJsonArray &args, const QList<QByteArray> &, const Ack &ack) {
                       socket->emitWithAck(
                           QStringLiteral("server-ack"), args,
                           [ack](bool timedOut, const QJsonArray &answer, const QList<QByteArray> &) {
                               ack.send({ QJsonObject { { QStringLiteral("timedOut"), timedOut },
                                                        { QStringLiteral("answer"), answer } } });
                           },
                           2000);
                   });
        socket->on(QStringLiteral("join"), [socket](const QJsonArray &args, const QList<QByteArray> &, const Ack &ack) {
            socket->join(args.at(0).toString());
            ack.send({ true });
        });
        socket->on(QStringLiteral("broadcast"),
                   [socket](const QJsonArray &args, const QList<QByteArray> &, const Ack &ack) {
                       const qsizetype count = socket->nsp()->broadcast({ { args.at(0).toString() }, socket },
                                                                        QStringLiteral("broadcast"), { args.at(1) });
                       ack.send({ double(count) });
                   });
    });
    QObject::connect(io->of(QStringLiteral("/custom")), &Realtime::Namespace::connected, io, [](Socket *socket) {
        emitAuthSoon(socket);
        socket->on(QStringLiteral("message"),
                   [socket](const QJsonArray &args, const QList<QByteArray> &bins, const Ack &) {
                       socket->emitEvent(QStringLiteral("message-back"), args, bins);
                   });
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("protocol-fixture"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Engine.IO/Socket.IO compliance fixture"));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (default 3000)."),
                                        QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption payloadOption(QStringLiteral("max-payload"), QStringLiteral("maxPayload in bytes."),
                                           QStringLiteral("bytes"), QStringLiteral("1000000"));
    const QCommandLineOption pollingOnlyOption(QStringLiteral("polling-only"), QStringLiteral("Refuse WebSocket."));
    // The suites expect 300/200; the interop tests use longer ones so a slow (sanitizer) build keeps up.
    const QCommandLineOption pingIntervalOption(QStringLiteral("ping-interval"),
                                                QStringLiteral("pingInterval in ms (300)."), QStringLiteral("ms"),
                                                QStringLiteral("300"));
    const QCommandLineOption pingTimeoutOption(QStringLiteral("ping-timeout"),
                                               QStringLiteral("pingTimeout in ms (200)."), QStringLiteral("ms"),
                                               QStringLiteral("200"));
    parser.addOptions({ portOption, payloadOption, pollingOnlyOption, pingIntervalOption, pingTimeoutOption });
    parser.process(app);

    EngineIo::EngineOptions options;
    options.pingIntervalMs = parser.value(pingIntervalOption).toInt();
    options.pingTimeoutMs = parser.value(pingTimeoutOption).toInt();
    options.maxPayload = parser.value(payloadOption).toLongLong();
    options.corsOrigins = QStringList { QStringLiteral("*") };
    options.allowWebSocket = !parser.isSet(pollingOnlyOption);

    Ops::Metrics metrics;
    WebSocket::IoPool ioPool(1, options.maxPayload); // one I/O thread, shared by both endpoints
    options.path = "/engine.io/";
    EngineIo::EngineServer engine(options, &ioPool);
    echoEngineMessages(&engine);

    options.path = "/socket.io/";
    EngineIo::EngineServer socketEngine(options, &ioPool);
    socketEngine.setMetrics(&metrics);
    Realtime::Server io(&socketEngine, Realtime::ServerOptions { 1000, 64 });
    io.setMetrics(&metrics);
    serveReferenceHandlers(&io);

    MetricsHandler metricsHandler(&metrics);
    Transport::Listener listener;
    Transport::HttpLimits limits;
    limits.maxBodyBytes = options.maxPayload;
    listener.setLimits(limits);
    listener.addRoute("/engine.io/", &engine);
    listener.addRoute("/socket.io/", &socketEngine);
    listener.addRoute("/metrics", &metricsHandler);
    // QHostAddress::Any is dual-stack: localhost may resolve to ::1 or 127.0.0.1.
    if (!listener.listen(QHostAddress::Any, quint16(parser.value(portOption).toUInt()))) {
        QTextStream(stderr) << "protocol-fixture: cannot listen: " << listener.errorString() << '\n';
        return 1;
    }
    QTextStream(stdout) << "listening on " << listener.serverPort() << Qt::endl;
    return app.exec();
}
