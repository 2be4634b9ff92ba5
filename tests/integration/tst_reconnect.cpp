// The client library's reconnect policy against a real confabd: restarts, a server
// that stops answering (SIGSTOP), a refused token, and "retry now".
#include "confabdprocess.h"
#include "reconnectcontroller.h"
#include "testsocketioclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace Confab;
using namespace Confab::Client;
using Confab::Testing::ConfabdProcess;

class tst_Reconnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void reconnectsAfterServerRestart();
    void detectsSilentServer();
    void stopsOnRefusedToken();
    void retryNowSkipsTheWait();

private:
    QJsonObject auth() const { return { { QStringLiteral("token"), m_token } }; }

    ConfabdProcess *m_server = nullptr;
    QString m_token;
};

void tst_Reconnect::init()
{
    m_server = new ConfabdProcess;
    QVERIFY2(m_server->start({ QStringLiteral("--ping-interval"), QStringLiteral("500"),
                               QStringLiteral("--ping-timeout"), QStringLiteral("500") }),
             qPrintable(m_server->error()));
    m_token = Testing::registerUser(m_server->url(), QStringLiteral("roamer"), QStringLiteral("roamer-password"));
    QVERIFY(!m_token.isEmpty());
}

void tst_Reconnect::cleanup()
{
    delete m_server;
}

void tst_Reconnect::reconnectsAfterServerRestart()
{
    SocketIoClient client;
    client.engine()->setTransportOptions({ m_server->url() });
    ReconnectController controller(&client, { 100, 1000 });
    QSignalSpy scheduled(&controller, &ReconnectController::retryScheduled);
    controller.start(QStringLiteral("/"), auth());
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 5000);

    m_server->kill();
    QVERIFY(scheduled.wait(5000));
    QCOMPARE(scheduled.first().at(0).toInt(), 1);
    QVERIFY(scheduled.first().at(1).toInt() <= 100); // full jitter: [0, base] on the first attempt
    QVERIFY(controller.status() == ReconnectController::Status::Waiting
            || controller.status() == ReconnectController::Status::Connecting);

    QVERIFY2(m_server->restart(), qPrintable(m_server->error()));
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 10000);
    QCOMPARE(controller.attempt(), 0);
    // Attempts while the server was down waited within their growing ceilings.
    for (int i = 0; i < scheduled.size(); ++i)
        QVERIFY(scheduled.at(i).at(1).toInt() <= std::min(1000, 100 << i));
}

void tst_Reconnect::detectsSilentServer()
{
    SocketIoClient client;
    client.engine()->setTransportOptions({ m_server->url() });
    ReconnectController controller(&client, { 100, 1000 });
    controller.start(QStringLiteral("/"), auth());
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 5000);

    QSignalSpy closed(client.engine(), &EngineIoClient::closed);
    m_server->suspend(); // the TCP connection stays open; nothing answers
    QVERIFY(closed.wait(10000));
    QCOMPARE(closed.first().at(0).toString(), QStringLiteral("ping timeout"));
    m_server->resume();
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 10000);
}

void tst_Reconnect::stopsOnRefusedToken()
{
    SocketIoClient client;
    client.engine()->setTransportOptions({ m_server->url() });
    ReconnectController controller(&client, { 100, 1000 });
    QSignalSpy refused(&controller, &ReconnectController::refused);
    QSignalSpy scheduled(&controller, &ReconnectController::retryScheduled);
    controller.start(QStringLiteral("/"), { { QStringLiteral("token"), QStringLiteral("expired.or.forged") } });
    QVERIFY(refused.wait(5000));
    QCOMPARE(refused.first().at(0).toJsonObject().value(QStringLiteral("message")).toString(),
             QStringLiteral("unauthorized"));
    QCOMPARE(controller.status(), ReconnectController::Status::Refused);
    QCOMPARE(scheduled.size(), 0);
}

void tst_Reconnect::retryNowSkipsTheWait()
{
    SocketIoClient client;
    client.engine()->setTransportOptions({ m_server->url() });
    // A long wait: only retryNow() can bring it back within the test's timeout.
    ReconnectController controller(&client, { 60000, 60000 });
    controller.start(QStringLiteral("/"), auth());
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 5000);
    QSignalSpy scheduled(&controller, &ReconnectController::retryScheduled);
    m_server->kill();
    QVERIFY(scheduled.wait(5000));
    // Attempt 1 waits a random time in [0, 60 s]: almost surely still waiting now.
    QVERIFY2(m_server->restart(), qPrintable(m_server->error()));
    if (controller.status() == ReconnectController::Status::Waiting) {
        QVERIFY(controller.nextAttemptInMs() <= 60000);
        controller.retryNow();
    }
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ReconnectController::Status::Connected, 10000);
}

QTEST_GUILESS_MAIN(tst_Reconnect)
#include "tst_reconnect.moc"
