// The Redis links' own deadlines, against a "Redis" that accepts and then says nothing
// (a partition looks like that: no RST, no FIN): the pipelined link fails what waits and
// says it is lost; the subscriber is up only once Redis has answered, and lost once its
// PINGs go unanswered.
#include "redis/redisasynclink.h"
#include "redis/redissubscriber.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using Confab::Redis::HostPort;
using Confab::Redis::RedisAsyncLink;
using Confab::Redis::RedisReply;
using Confab::Redis::RedisSubscriber;

// Accepts connections; answers the first thing each sends with `firstAnswer` (if any),
// then never again.
class SilentRedis : public QTcpServer
{
public:
    explicit SilentRedis(QByteArray firstAnswer = {})
        : m_firstAnswer(std::move(firstAnswer))
    {
        QVERIFY(listen(QHostAddress::LocalHost));
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    if (!socket->property("answered").toBool() && !m_firstAnswer.isEmpty())
                        socket->write(m_firstAnswer);
                    socket->setProperty("answered", true);
                });
            }
        });
    }
    HostPort address() const { return { QStringLiteral("127.0.0.1"), serverPort() }; }

private:
    QByteArray m_firstAnswer;
};

class tst_RedisDeadlines : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unansweredCommandsFailAndTheLinkIsLost();
    void subscriberIsUpOnlyOnceRedisAnswersAndLostWhenItFallsSilent();
};

void tst_RedisDeadlines::unansweredCommandsFailAndTheLinkIsLost()
{
    SilentRedis redis;
    RedisAsyncLink link;
    link.setDeadline(300);
    QSignalSpy lost(&link, &RedisAsyncLink::lost);
    QString error;
    QVERIFY2(link.open(redis.address(), 0, &error), qPrintable(error));
    int failed = 0;
    link.command({ "GET", "key" }, [&failed](const std::optional<RedisReply> &reply) { failed += !reply; });
    QVERIFY(lost.wait(5000));
    QCOMPARE(failed, 1);
    QVERIFY2(lost.first().first().toString().contains(QLatin1String("no answer")),
             qPrintable(lost.first().first().toString()));
    QVERIFY(!link.isOpen());
    // After it, commands fail at once instead of joining the silence.
    link.command({ "GET", "key" }, [&failed](const std::optional<RedisReply> &reply) { failed += !reply; });
    QCOMPARE(failed, 2);
}

void tst_RedisDeadlines::subscriberIsUpOnlyOnceRedisAnswersAndLostWhenItFallsSilent()
{
    // Answers the SUBSCRIBE and the PING of each new connection, then none of the PINGs after.
    SilentRedis redis("*3\r\n$9\r\nsubscribe\r\n$7\r\nchannel\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    RedisSubscriber subscriber([&redis](QString *) { return std::optional(redis.address()); });
    subscriber.setDeadline(500);
    subscriber.subscribe("channel");
    QSignalSpy upChanged(&subscriber, &RedisSubscriber::upChanged);
    QString error;
    QVERIFY2(subscriber.open(&error), qPrintable(error));
    QVERIFY(subscriber.isListening());
    QVERIFY(!subscriber.isUp()); // connected is not answered
    QVERIFY(upChanged.wait(5000));
    QCOMPARE(upChanged.last().first().toBool(), true);
    QVERIFY(upChanged.wait(5000));
    QCOMPARE(upChanged.last().first().toBool(), false);
    QVERIFY(!subscriber.isUp());
}

QTEST_GUILESS_MAIN(tst_RedisDeadlines)
#include "tst_redisdeadlines.moc"
