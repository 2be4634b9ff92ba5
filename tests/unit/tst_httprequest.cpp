// The HTTP request-head parser: a table of good and hostile heads.
#include "transport/httprequest.h"

#include <QTest>

using namespace Confab::Transport;

class tst_HttpRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientAddressTrustsOnlyListedProxies();
    void parses();
    void keepAliveAndUpgrade();
    void rejects_data();
    void rejects();
};

void tst_HttpRequest::parses()
{
    const auto result = parseRequestHead("GET /socket.io/?EIO=4&transport=polling&sid=a%2Bb HTTP/1.1\r\n"
                                         "Host: localhost\r\nContent-Length: 12\r\nX-Thing:  spaced  \r\n\r\n");
    QVERIFY(result.request);
    const HttpRequest &request = *result.request;
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.path, QByteArray("/socket.io/"));
    QCOMPARE(request.queryItem(QStringLiteral("EIO")), QStringLiteral("4"));
    QCOMPARE(request.queryItem(QStringLiteral("sid")), QStringLiteral("a+b"));
    QCOMPARE(request.header("host"), QByteArray("localhost"));
    QCOMPARE(request.header("x-thing"), QByteArray("spaced"));
    QCOMPARE(request.contentLength(), 12);
}

void tst_HttpRequest::keepAliveAndUpgrade()
{
    auto http10 = parseRequestHead("GET / HTTP/1.0\r\n\r\n");
    QVERIFY(http10.request && !http10.request->wantsKeepAlive());
    auto closing = parseRequestHead("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    QVERIFY(closing.request && !closing.request->wantsKeepAlive());
    auto upgrade = parseRequestHead("GET /socket.io/ HTTP/1.1\r\nConnection: keep-alive, "
                                    "Upgrade\r\nUpgrade: websocket\r\n\r\n");
    QVERIFY(upgrade.request && upgrade.request->isWebSocketUpgrade());
    auto badLength = parseRequestHead("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n");
    QVERIFY(badLength.request);
    QCOMPARE(badLength.request->contentLength(), -2);
}

void tst_HttpRequest::rejects_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("error");
    QTest::newRow("empty") << QByteArray() << int(HttpParseError::BadRequestLine);
    QTest::newRow("no target") << QByteArray("GET\r\n\r\n") << int(HttpParseError::BadRequestLine);
    QTest::newRow("relative target") << QByteArray("GET x HTTP/1.1\r\n\r\n") << int(HttpParseError::BadRequestLine);
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << int(HttpParseError::BadRequestLine);
    QTest::newRow("http2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << int(HttpParseError::UnsupportedVersion);
    QTest::newRow("header without colon")
        << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << int(HttpParseError::BadHeader);
    QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n")
                                   << int(HttpParseError::BadHeader);
    QTest::newRow("control char") << QByteArray("GET / HTTP/1.1\r\nX: a\x01"
                                                "b\r\n\r\n")
                                  << int(HttpParseError::BadHeader);
    QTest::newRow("nul in target") << QByteArray("GET /a\0b HTTP/1.1\r\n\r\n", 21)
                                   << int(HttpParseError::BadRequestLine);
}

void tst_HttpRequest::rejects()
{
    QFETCH(QByteArray, head);
    QFETCH(int, error);
    const auto result = parseRequestHead(head);
    QVERIFY(!result.request);
    QCOMPARE(int(result.error), error);
}

void tst_HttpRequest::clientAddressTrustsOnlyListedProxies()
{
    const TrustedProxies trusted { QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")) };
    const QHostAddress proxy(QStringLiteral("10.1.2.3"));
    const QHostAddress stranger(QStringLiteral("192.0.2.7"));
    // The proxy's own append (the last entry) counts; what the client claimed before it does not.
    QCOMPARE(clientAddress(proxy, "6.6.6.6, 203.0.113.9", trusted), QHostAddress(QStringLiteral("203.0.113.9")));
    QCOMPARE(clientAddress(QHostAddress(QStringLiteral("::ffff:10.1.2.3")), "203.0.113.9", trusted),
             QHostAddress(QStringLiteral("203.0.113.9")));
    QCOMPARE(clientAddress(stranger, "203.0.113.9", trusted), stranger);
    QCOMPARE(clientAddress(proxy, "", trusted), proxy);
    QCOMPARE(clientAddress(proxy, "not-an-address", trusted), proxy);
    QCOMPARE(clientAddress(proxy, "203.0.113.9", {}), proxy);
}

QTEST_GUILESS_MAIN(tst_HttpRequest)
#include "tst_httprequest.moc"
