// Confab's client library (Engine.IO + Socket.IO layers) against the stock Node.js
// Socket.IO 4 server from npm: every transport mode, fallback, upgrade, namespaces,
// acks both ways, binary.
#include "reconnectcontroller.h"
#include "socketioclient.h"

#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Confab::Client;

namespace {

// A running stock-server.mjs.
class StockServer
{
public:
    explicit StockServer(const QStringList &flags)
    {
        m_process.setProgram(qEnvironmentVariable("CONFAB_NODE"));
        m_process.setArguments(
            QStringList { qEnvironmentVariable("CONFAB_SOURCE_DIR") + QLatin1String("/tests/interop/stock-server.mjs") }
            + flags);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        static const QRegularExpression listening(QStringLiteral("listening on (\\d+)"));
        while (m_process.waitForReadyRead(10000)) {
            const auto match = listening.match(QString::fromUtf8(m_process.readAll()));
            if (match.hasMatch()) {
                m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(match.captured(1)));
                break;
            }
        }
    }
    ~StockServer()
    {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }
    QUrl url() const { return m_url; }

private:
    QProcess m_process;
    QUrl m_url;
};

} // namespace

class tst_ClientInterop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transports_data();
    void transports();
    void fallsBackToPollingAndUpgradesLater();
    void namespacesAcksAndBinary();
    void serverAckTimesOut();
    void reconnectsAfterServerRestart();
    void honoursServerAdvice();

private:
    // Connects `nsp` and waits; false on failure.
    static bool connectTo(SocketIoClient &client, const QString &nsp = QStringLiteral("/"),
                          const QJsonObject &auth = {});
    // Emits `message` and returns the args of the next message-back in that namespace.
    static QJsonArray echo(SocketIoClient &client, const QString &nsp, const QJsonArray &args,
                           const QList<QByteArray> &attachments = {}, QList<QByteArray> *attachmentsBack = nullptr);
};

bool tst_ClientInterop::connectTo(SocketIoClient &client, const QString &nsp, const QJsonObject &auth)
{
    QSignalSpy connected(&client, &SocketIoClient::connected);
    client.connectNamespace(nsp, auth);
    while (connected.wait(10000)) {
        for (const QList<QVariant> &event : std::as_const(connected)) {
            if (event.at(0).toString() == nsp)
                return true;
        }
    }
    return false;
}

QJsonArray tst_ClientInterop::echo(SocketIoClient &client, const QString &nsp, const QJsonArray &args,
                                   const QList<QByteArray> &attachments, QList<QByteArray> *attachmentsBack)
{
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    client.emitEvent(nsp, QStringLiteral("message"), args, attachments);
    while (events.wait(5000)) {
        for (const QList<QVariant> &event : std::as_const(events)) {
            if (event.at(0).toString() == nsp && event.at(1).toString() == QLatin1String("message-back")) {
                if (attachmentsBack)
                    *attachmentsBack = event.at(3).value<QList<QByteArray>>();
                return event.at(2).toJsonArray();
            }
        }
    }
    return {};
}

void tst_ClientInterop::transports_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expectedTransport");
    QTest::newRow("websocket only") << int(EngineIoClient::TransportMode::WebSocketOnly) << QStringLiteral("websocket");
    QTest::newRow("polling only") << int(EngineIoClient::TransportMode::PollingOnly) << QStringLiteral("polling");
    QTest::newRow("auto starts with websocket")
        << int(EngineIoClient::TransportMode::Auto) << QStringLiteral("websocket");
}

void tst_ClientInterop::transports()
{
    QFETCH(int, mode);
    QFETCH(QString, expectedTransport);
    StockServer server({});
    QVERIFY(server.url().isValid());
    SocketIoClient client;
    client.engine()->setTransportOptions({ server.url() });
    client.engine()->setTransportMode(EngineIoClient::TransportMode(mode));
    QVERIFY(connectTo(client));
    QCOMPARE(client.engine()->transportName(), expectedTransport);
    const QJsonArray args { 1, QStringLiteral("two"),
                            QJsonObject { { QStringLiteral("three"), QJsonArray { true } } } };
    QCOMPARE(echo(client, QStringLiteral("/"), args), args);
    // Heartbeats keep it alive past the server's pingInterval + pingTimeout (2 s).
    QSignalSpy closed(client.engine(), &EngineIoClient::closed);
    QVERIFY(!closed.wait(2500));
    QCOMPARE(echo(client, QStringLiteral("/"), { QStringLiteral("still here") }),
             QJsonArray { QStringLiteral("still here") });
}

void tst_ClientInterop::fallsBackToPollingAndUpgradesLater()
{
    {
        // WebSocket refused outright: polling carries the session.
        StockServer server({ QStringLiteral("--polling-only") });
        SocketIoClient client;
        client.engine()->setTransportOptions({ server.url() });
        QVERIFY(connectTo(client));
        QCOMPARE(client.engine()->transportName(), QStringLiteral("polling"));
        QCOMPARE(echo(client, QStringLiteral("/"), { 42 }), QJsonArray { 42 });
    }
    {
        // A fresh WebSocket is refused, but the polling session may upgrade.
        StockServer server({ QStringLiteral("--no-direct-websocket") });
        SocketIoClient client;
        client.engine()->setTransportOptions({ server.url() });
        QSignalSpy transportChanged(client.engine(), &EngineIoClient::transportChanged);
        QVERIFY(connectTo(client));
        QTRY_COMPARE_WITH_TIMEOUT(client.engine()->transportName(), QStringLiteral("websocket"), 10000);
        QVERIFY(transportChanged.contains({ QStringLiteral("polling") }));
        QCOMPARE(echo(client, QStringLiteral("/"), { QStringLiteral("upgraded") }),
                 QJsonArray { QStringLiteral("upgraded") });
    }
}

void tst_ClientInterop::namespacesAcksAndBinary()
{
    StockServer server({});
    SocketIoClient client;
    client.engine()->setTransportOptions({ server.url() });
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    QVERIFY(connectTo(client, QStringLiteral("/")));
    QVERIFY(connectTo(client, QStringLiteral("/admin"), { { QStringLiteral("token"), QStringLiteral("abc") } }));
    // Both namespaces ride one Engine.IO connection; each got its own welcome.
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                         [](const QList<QVariant> &e) {
                                             return e.at(0).toString() == QLatin1String("/admin")
                                                 && e.at(1).toString() == QLatin1String("welcome")
                                                 && e.at(2)
                                                        .toJsonArray()
                                                        .at(0)
                                                        .toObject()
                                                        .value(QStringLiteral("auth"))
                                                        .toObject()
                                                        .value(QStringLiteral("token"))
                                                        .toString()
                                                 == QLatin1String("abc");
                                         }),
                             5000);
    QCOMPARE(echo(client, QStringLiteral("/admin"), { QStringLiteral("to admin") }),
             QJsonArray { QStringLiteral("to admin") });

    // Client -> server ack.
    bool answered = false;
    QJsonArray answer;
    client.emitWithAck(QStringLiteral("/"), QStringLiteral("message-with-ack"), { 7, QStringLiteral("x") },
                       [&](bool timedOut, const QJsonArray &args, const QList<QByteArray> &) {
                           answered = !timedOut;
                           answer = args;
                       });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
    QCOMPARE(answer, (QJsonArray { 7, QStringLiteral("x") }));

    // Server -> client ack: the server asks, we answer, it reports what it got.
    connect(&client, &SocketIoClient::eventReceived, &client,
            [&client](const QString &nsp, const QString &event, const QJsonArray &args, const QList<QByteArray> &,
                      qint64 ackId) {
                if (event == QLatin1String("question") && ackId >= 0)
                    client.sendAck(nsp, ackId, { args.at(0).toInt() * 2 });
            });
    QJsonObject report;
    client.emitWithAck(QStringLiteral("/"), QStringLiteral("ask-client"), { 21 },
                       [&](bool, const QJsonArray &args, const QList<QByteArray> &) {
                           report = args.at(0).toObject();
                       });
    QTRY_VERIFY_WITH_TIMEOUT(!report.isEmpty(), 5000);
    QCOMPARE(report.value(QStringLiteral("answer")).toInt(), 42);

    // Binary attachments both ways.
    const QByteArray blob("\x00\x01\xfe\xff", 4);
    QList<QByteArray> back;
    const QJsonArray echoed = echo(client, QStringLiteral("/"),
                                   { Confab::SocketIo::placeholder(0), QStringLiteral("tail") }, { blob }, &back);
    QCOMPARE(echoed.at(1).toString(), QStringLiteral("tail"));
    QCOMPARE(back, QList<QByteArray> { blob });
}

void tst_ClientInterop::serverAckTimesOut()
{
    StockServer server({});
    SocketIoClient client;
    client.engine()->setTransportOptions({ server.url() });
    QVERIFY(connectTo(client));
    // Nobody answers "question": the server's own ack timeout fires and says so.
    QJsonObject report;
    client.emitWithAck(QStringLiteral("/"), QStringLiteral("ask-client"), { 1 },
                       [&](bool, const QJsonArray &args, const QList<QByteArray> &) {
                           report = args.at(0).toObject();
                       });
    QTRY_VERIFY_WITH_TIMEOUT(!report.isEmpty(), 10000);
    QCOMPARE(report.value(QStringLiteral("timedOut")).toBool(), true);
    // And our own ack timeout fires when the server never answers an event.
    bool timedOut = false;
    client.emitWithAck(
        QStringLiteral("/"), QStringLiteral("no-such-handler"), {},
        [&](bool didTimeOut, const QJsonArray &, const QList<QByteArray> &) { timedOut = didTimeOut; }, 300);
    QTRY_VERIFY_WITH_TIMEOUT(timedOut, 5000);
}

void tst_ClientInterop::reconnectsAfterServerRestart()
{
    auto server = std::make_unique<StockServer>(QStringList {});
    const QUrl url = server->url();
    SocketIoClient client;
    client.engine()->setTransportOptions({ url });
    ReconnectController controller(&client, { 100, 1000 });
    QSignalSpy scheduled(&controller, &ReconnectController::retryScheduled);
    controller.start(QStringLiteral("/"), {});
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 5000);

    server.reset(); // the stock server goes away
    QVERIFY(scheduled.wait(10000));
    server = std::make_unique<StockServer>(QStringList { QStringLiteral("--port"), QString::number(url.port()) });
    QCOMPARE(server->url(), url);
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 15000);
    QCOMPARE(echo(client, QStringLiteral("/"), { QStringLiteral("back") }), QJsonArray { QStringLiteral("back") });
}

void tst_ClientInterop::honoursServerAdvice()
{
    StockServer server({});
    SocketIoClient client;
    client.engine()->setTransportOptions({ server.url() });
    ReconnectController controller(&client, { 100, 1000 });
    controller.start(QStringLiteral("/"), {});
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 5000);
    QSignalSpy scheduled(&controller, &ReconnectController::retryScheduled);
    client.emitEvent(QStringLiteral("/"), QStringLiteral("advise-me"), { 3000 });
    QVERIFY(scheduled.wait(5000));
    // The advised 3 s plus up to half of it as jitter, instead of the policy's 100 ms.
    const int waitMs = scheduled.first().at(1).toInt();
    QVERIFY2(waitMs >= 3000 && waitMs <= 4500, qPrintable(QString::number(waitMs)));
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 10000);
}

QTEST_GUILESS_MAIN(tst_ClientInterop)
#include "tst_clientinterop.moc"
