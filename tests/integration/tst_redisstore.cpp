// The cluster store and Redis connections against a real redis-server (started here,
// AOF with fsync always): the same store behaviour as SQLite, plus what only Redis
// has: the circuit breaker, reconnecting, resubscribing, data kept across a restart.
#include "cluster/redisstore.h"
#include "redis/redisconnection.h"
#include "redis/redissubscriber.h"
#include "storecases.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Confab;
using Chat::Message;
using Chat::Store;

class tst_RedisStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void appendIsAtomicIdempotentAndGapFree();
    void historyPaging();
    void accountsRoomsMembers();
    void outageFailsFastAndRecovers();
    void subscriberResubscribesAfterRestart();

private:
    bool startRedis();
    void stopRedis();
    Message draft(const QString &clientId, const QString &text = {}) const
    {
        return { QStringLiteral("room"),
                 {},
                 0,
                 0,
                 QStringLiteral("alice"),
                 text.isEmpty() ? QStringLiteral("text ") + clientId : text,
                 clientId };
    }
    QList<Store::AppendResult> appendAll(const QList<Message> &drafts);

    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_redis;
    std::unique_ptr<Redis::RedisConnection> m_connection;
    std::unique_ptr<Cluster::RedisStore> m_store;
};

bool tst_RedisStore::startRedis()
{
    m_redis = std::make_unique<QProcess>();
    m_redis->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_redis->start(QStringLiteral("redis-server"),
                   { QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--dir"), m_dir.path(), QStringLiteral("--save"),
                     QString(), QStringLiteral("--appendonly"), QStringLiteral("yes"), QStringLiteral("--appendfsync"),
                     QStringLiteral("always") });
    if (!m_redis->waitForStarted())
        return false;
    // Ready once it accepts a connection.
    return QTest::qWaitFor(
        [this] {
            Redis::RedisLink probe;
            return probe.open({ QStringLiteral("127.0.0.1"), m_port }, 200, nullptr)
                && probe.command({ "PING" }).value_or(Redis::RedisReply {}).string == "PONG";
        },
        10000);
}

void tst_RedisStore::stopRedis()
{
    m_redis->kill();
    m_redis->waitForFinished();
}

void tst_RedisStore::init()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    m_port = probe.serverPort();
    probe.close();
    QVERIFY(startRedis());
    Redis::RedisEndpoint endpoint;
    endpoint.server = { QStringLiteral("127.0.0.1"), m_port };
    m_connection = std::make_unique<Redis::RedisConnection>(endpoint);
    m_store = std::make_unique<Cluster::RedisStore>(m_connection.get());
    QString error;
    QVERIFY2(m_connection->open(&error), qPrintable(error));
    QVERIFY(m_connection->command({ "FLUSHALL" }));
    QVERIFY(m_store->createRoom({ QStringLiteral("room"), QStringLiteral("topic"), false, 0 }));
}

void tst_RedisStore::cleanup()
{
    m_store.reset();
    m_connection.reset();
    stopRedis();
}

QList<Store::AppendResult> tst_RedisStore::appendAll(const QList<Message> &drafts)
{
    QList<Store::AppendResult> results(drafts.size());
    int done = 0;
    for (int i = 0; i < drafts.size(); ++i)
        m_store->append(drafts[i], [&results, &done, i](const Store::AppendResult &r) {
            results[i] = r;
            ++done;
        });
    if (!QTest::qWaitFor([&] { return done == drafts.size(); }, 5000))
        qWarning("appendAll: %d of %d callbacks ran", done, int(drafts.size()));
    return results;
}

void tst_RedisStore::appendIsAtomicIdempotentAndGapFree()
{
    QList<Message> drafts;
    for (int i = 0; i < 100; ++i)
        drafts.append(draft(QStringLiteral("c%1").arg(i)));
    drafts.append(draft(QStringLiteral("c7"))); // a repeat in the same pipeline
    drafts.append(draft(QStringLiteral("u"), QStringLiteral("ünïcödé \"quoted\" / ✓ 🙂")));
    const auto results = appendAll(drafts);
    QCOMPARE(m_store->batches(), 1); // one pipeline for the whole pass
    for (int i = 0; i < 100; ++i) {
        QVERIFY(results[i].message.has_value());
        QCOMPARE(results[i].message->seq, i + 1);
        QVERIFY(!results[i].isDuplicate);
    }
    QVERIFY(results[100].isDuplicate);
    QCOMPARE(results[100].message->id, results[7].message->id);
    QCOMPARE(results[101].message->seq, 101);
    QCOMPARE(results[101].message->text, drafts[101].text); // through Lua's cjson and back
    QCOMPARE(m_store->findRoom(QStringLiteral("room"))->lastSeq, 101);
}

void tst_RedisStore::historyPaging()
{
    StoreCases::historyPaging(m_store.get(), [this](const QStringList &ids) {
        QList<Message> drafts;
        for (const QString &id : ids)
            drafts.append(draft(id));
        return appendAll(drafts);
    });
}

void tst_RedisStore::accountsRoomsMembers()
{
    StoreCases::accountsRoomsMembers(m_store.get());
}

void tst_RedisStore::outageFailsFastAndRecovers()
{
    appendAll({ draft(QStringLiteral("before")) });
    QSignalSpy up(m_connection.get(), &Redis::RedisConnection::upChanged);
    stopRedis();
    // The next call finds out; from then on calls fail without touching the network.
    const auto lost = appendAll({ draft(QStringLiteral("during")) });
    QVERIFY(!lost[0].message);
    QVERIFY(!m_store->isAvailable());
    QCOMPARE(up.count(), 1);
    QCOMPARE(up.at(0).at(0).toBool(), false);
    QVERIFY(!m_store->findRoom(QStringLiteral("room")));
    const qint64 roundTrips = m_connection->roundTrips();
    QVERIFY(!m_store->findRoom(QStringLiteral("room")));
    QCOMPARE(m_connection->roundTrips(), roundTrips);

    QVERIFY(startRedis()); // same dir: the AOF brings the data back
    // The retry may already have succeeded while startRedis() waited for the server.
    QTRY_VERIFY_WITH_TIMEOUT(up.count() == 2, 10000);
    QCOMPARE(up.last().at(0).toBool(), true);
    QVERIFY(m_store->isAvailable());
    const auto retried = appendAll({ draft(QStringLiteral("during")), draft(QStringLiteral("before")) });
    QCOMPARE(retried[0].message->seq, 2);
    QVERIFY(retried[1].isDuplicate); // acknowledged before the outage, still known
    QCOMPARE(retried[1].message->seq, 1);
}

void tst_RedisStore::subscriberResubscribesAfterRestart()
{
    const quint16 port = m_port;
    Redis::RedisSubscriber subscriber([port](QString *) {
        return std::optional(Redis::HostPort { QStringLiteral("127.0.0.1"), port });
    });
    subscriber.subscribe("chan");
    QVERIFY(subscriber.open());
    QSignalSpy messages(&subscriber, &Redis::RedisSubscriber::message);
    QSignalSpy up(&subscriber, &Redis::RedisSubscriber::upChanged);
    // Subscribing is asynchronous: publish until someone hears it.
    QVERIFY(QTest::qWaitFor([&] { return m_connection->command({ "PUBLISH", "chan", "one" })->integer == 1; }, 5000));
    QVERIFY(messages.wait(5000));
    QCOMPARE(messages.last().at(1).toByteArray(), QByteArray("one"));

    stopRedis();
    QVERIFY(up.wait(5000));
    QCOMPARE(up.last().at(0).toBool(), false);
    QVERIFY(startRedis());
    QTRY_VERIFY_WITH_TIMEOUT(up.count() == 2, 10000);
    QCOMPARE(up.last().at(0).toBool(), true);
    QVERIFY(QTest::qWaitFor([this] { return m_store->isAvailable(); }, 10000));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto heard = m_connection->command({ "PUBLISH", "chan", "two" });
            return heard && heard->integer == 1;
        },
        5000));
    QVERIFY(messages.wait(5000));
    QCOMPARE(messages.last().at(1).toByteArray(), QByteArray("two"));
}

QTEST_GUILESS_MAIN(tst_RedisStore)
#include "tst_redisstore.moc"
