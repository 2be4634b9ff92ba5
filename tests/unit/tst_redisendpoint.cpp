// --redis URLs and the bus's envelope encoding: pure functions, no Redis needed.
#include "cluster/redisbus.h"
#include "redis/redisendpoint.h"

#include <QTest>

using namespace Confab;

class TestRedisEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesPlainUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("database");
        QTest::newRow("full") << "redis://10.0.0.5:6380/2"
                              << "10.0.0.5" << 6380 << 2;
        QTest::newRow("default port") << "redis://redis.internal"
                                      << "redis.internal" << 6379 << 0;
        QTest::newRow("no db") << "redis://127.0.0.1:7000"
                               << "127.0.0.1" << 7000 << 0;
    }
    void parsesPlainUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(int, database);
        QString error;
        const auto endpoint = Redis::RedisEndpoint::parse(url, &error);
        QVERIFY2(endpoint, qPrintable(error));
        QVERIFY(!endpoint->usesSentinel());
        QCOMPARE(endpoint->server.host, host);
        QCOMPARE(int(endpoint->server.port), port);
        QCOMPARE(endpoint->database, database);
    }

    void parsesSentinelUrls()
    {
        QString error;
        const auto endpoint
            = Redis::RedisEndpoint::parse(QStringLiteral("redis+sentinel://a:26379,b:26380,c/main/3"), &error);
        QVERIFY2(endpoint, qPrintable(error));
        QVERIFY(endpoint->usesSentinel());
        QCOMPARE(endpoint->sentinels.size(), 3);
        QCOMPARE(endpoint->sentinels.at(1).host, QStringLiteral("b"));
        QCOMPARE(endpoint->sentinels.at(1).port, quint16(26380));
        QCOMPARE(endpoint->sentinels.at(2).port, quint16(6379));
        QCOMPARE(endpoint->masterName, QStringLiteral("main"));
        QCOMPARE(endpoint->database, 3);
        QCOMPARE(Redis::RedisEndpoint::parse(endpoint->toString(), &error)->toString(), endpoint->toString());
    }

    void refusesBadUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("scheme") << "http://localhost:6379";
        QTest::newRow("port") << "redis://localhost:99999";
        QTest::newRow("port text") << "redis://localhost:abc";
        QTest::newRow("db") << "redis://localhost:6379/x";
        QTest::newRow("no master") << "redis+sentinel://a:26379";
        QTest::newRow("empty sentinel") << "redis+sentinel://a:1,,b:2/m";
        QTest::newRow("trailing") << "redis://localhost/1/2";
    }
    void refusesBadUrls()
    {
        QFETCH(QString, url);
        QString error;
        QVERIFY(!Redis::RedisEndpoint::parse(url, &error));
        QVERIFY(error.contains(url));
    }

    void envelopesRoundTrip()
    {
        const Chat::Envelope envelope { { QStringLiteral("a"), QStringLiteral("b") },
                                        QStringLiteral("presence"),
                                        { { QStringLiteral("user"), QStringLiteral("ünï") } },
                                        "sock-1" };
        const auto decoded = Cluster::RedisBus::decode(Cluster::RedisBus::encode(envelope));
        QVERIFY(decoded);
        QCOMPARE(decoded->rooms, envelope.rooms);
        QCOMPARE(decoded->event, envelope.event);
        QCOMPARE(decoded->payload, envelope.payload);
        QCOMPARE(decoded->exceptSocketId, envelope.exceptSocketId);
        QVERIFY(!Cluster::RedisBus::decode("not json"));
        QVERIFY(!Cluster::RedisBus::decode(R"({"rooms":[]})"));
    }
};

QTEST_GUILESS_MAIN(TestRedisEndpoint)
#include "tst_redisendpoint.moc"
