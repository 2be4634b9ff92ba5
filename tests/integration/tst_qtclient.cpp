// A Qt-side client (QWebSocket + our codecs) against a real confabd: auth, rooms,
// message ack and delivery, seq order across two clients, idempotency.
#include "confabdprocess.h"
#include "testsocketioclient.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Confab::Testing;

class tst_QtClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void refusesBadToken();
    void chatsBetweenTwoClients();

private:
    // Sends an event and waits for its ack; returns the ack's single argument.
    QJsonObject call(TestSocketIoClient &client, const QString &event, const QJsonObject &payload);
    bool connectClient(TestSocketIoClient &client, const QString &token);

    ConfabdProcess m_server;
};

void tst_QtClient::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
}

QJsonObject tst_QtClient::call(TestSocketIoClient &client, const QString &event, const QJsonObject &payload)
{
    QSignalSpy acks(&client, &TestSocketIoClient::acked);
    const qint64 id = client.emitWithAck(event, payload);
    while (acks.wait(5000)) {
        for (const QList<QVariant> &ack : std::as_const(acks)) {
            if (ack.at(0).toLongLong() == id)
                return ack.at(1).toJsonArray().at(0).toObject();
        }
    }
    return {};
}

bool tst_QtClient::connectClient(TestSocketIoClient &client, const QString &token)
{
    QSignalSpy connected(&client, &TestSocketIoClient::connected);
    client.open(m_server.url(), { { QStringLiteral("token"), token } });
    return connected.wait(5000);
}

void tst_QtClient::refusesBadToken()
{
    TestSocketIoClient client;
    QSignalSpy refused(&client, &TestSocketIoClient::connectError);
    client.open(m_server.url(), { { QStringLiteral("token"), QStringLiteral("forged.token.value") } });
    QVERIFY(refused.wait(5000));
    QCOMPARE(refused.first().at(0).toJsonObject().value(QStringLiteral("message")).toString(),
             QStringLiteral("unauthorized"));
}

void tst_QtClient::chatsBetweenTwoClients()
{
    const QString aliceToken = registerUser(m_server.url(), QStringLiteral("qt-alice"), QStringLiteral("qt-password"));
    const QString bobToken = registerUser(m_server.url(), QStringLiteral("qt-bob"), QStringLiteral("qt-password"));
    QVERIFY(!aliceToken.isEmpty() && !bobToken.isEmpty());
    TestSocketIoClient alice;
    TestSocketIoClient bob;
    QVERIFY(connectClient(alice, aliceToken));
    QVERIFY(connectClient(bob, bobToken));

    const QJsonObject created
        = call(alice, QStringLiteral("room:create"), { { QStringLiteral("room"), QStringLiteral("qt-room") } });
    QVERIFY2(created.value(QStringLiteral("ok")).toBool(), QJsonDocument(created).toJson().constData());
    QVERIFY(call(bob, QStringLiteral("room:join"), { { QStringLiteral("room"), QStringLiteral("qt-room") } })
                .value(QStringLiteral("ok"))
                .toBool());

    QSignalSpy bobEvents(&bob, &TestSocketIoClient::eventReceived);
    QList<qint64> ackedSeqs;
    for (int i = 0; i < 20; ++i) {
        const QJsonObject ack = call(i % 2 ? bob : alice, QStringLiteral("message:send"),
                                     { { QStringLiteral("room"), QStringLiteral("qt-room") },
                                       { QStringLiteral("clientId"), QStringLiteral("qt-%1").arg(i) },
                                       { QStringLiteral("text"), QStringLiteral("message %1").arg(i) } });
        QVERIFY(ack.value(QStringLiteral("ok")).toBool());
        ackedSeqs.append(ack.value(QStringLiteral("seq")).toInteger());
    }
    QList<qint64> expected;
    for (qint64 seq = 1; seq <= 20; ++seq)
        expected.append(seq);
    QCOMPARE(ackedSeqs, expected);

    // Bob sees all 20, his own included, in seq order.
    QList<qint64> seen;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            seen.clear();
            for (const QList<QVariant> &event : std::as_const(bobEvents)) {
                if (event.at(0).toString() == QLatin1String("message"))
                    seen.append(event.at(1).toJsonArray().at(0).toObject().value(QStringLiteral("seq")).toInteger());
            }
            return seen.size() == 20;
        }(),
        5000);
    QCOMPARE(seen, expected);

    // A repeat of a clientId answers the first message and creates nothing.
    const QJsonObject repeat = call(alice, QStringLiteral("message:send"),
                                    { { QStringLiteral("room"), QStringLiteral("qt-room") },
                                      { QStringLiteral("clientId"), QStringLiteral("qt-0") },
                                      { QStringLiteral("text"), QStringLiteral("message 0") } });
    QCOMPARE(repeat.value(QStringLiteral("seq")).toInteger(), 1);
}

QTEST_GUILESS_MAIN(tst_QtClient)
#include "tst_qtclient.moc"
