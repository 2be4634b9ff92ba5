// The cluster store and Redis connections against a real redis-server (started here,
// AOF with fsync always): the same store behaviour as SQLite, plus what only Redis
// has: the circuit breaker, reconnecting, resubscribing, data kept across a restart.
#include "chat/limits.h"
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
    // v2: the shared cases, then what only Redis has
    void revisionsAndChanges() { StoreCases::revisionsAndChanges(m_store.get()); }
    void reactionsAndReplies() { StoreCases::reactionsAndReplies(m_store.get()); }
    void unreadAndMentions() { StoreCases::unreadAndMentions(m_store.get()); }
    void readPositions() { StoreCases::readPositions(m_store.get()); }
    void files() { StoreCases::files(m_store.get()); }
    void roomsAndRoles() { StoreCases::roomsAndRoles(m_store.get()); }
    void changesTakeRevsAndRefuse();
    void reactionsKeepFirstReactionOrder();
    void readStateCountsFromSortedSets();
    void migrationFromV1IsIdempotent();
    void changeInAppendPipelineKeepsRevOrder();
    void changeLostWithTheConnectionIsNotAcked();

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
    Store::ChangeResult changeNow(Store::ChangeRequest::Kind kind, const QByteArray &id, const QString &user,
                                  const QString &argument = {}, bool on = true);
    static Store::ChangeRequest request(Store::ChangeRequest::Kind kind, const QByteArray &id, const QString &user,
                                        const QString &argument, bool on);

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
    // Up once Redis has answered on the new connection, not when the socket connects.
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isUp(), 5000);
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

// v2: changes, revisions, reactions, read state, the v1 migration.

Store::ChangeRequest tst_RedisStore::request(Store::ChangeRequest::Kind kind, const QByteArray &id, const QString &user,
                                             const QString &argument, bool on)
{
    Store::ChangeRequest change;
    change.kind = kind;
    change.room = QStringLiteral("room");
    change.id = id;
    change.user = user;
    if (kind == Store::ChangeRequest::Kind::Edit)
        change.text = argument;
    change.emoji = argument;
    change.on = on;
    return change;
}

Store::ChangeResult tst_RedisStore::changeNow(Store::ChangeRequest::Kind kind, const QByteArray &id,
                                              const QString &user, const QString &argument, bool on)
{
    std::optional<Store::ChangeResult> result;
    m_store->change(request(kind, id, user, argument, on), [&result](const Store::ChangeResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        qWarning("changeNow: no callback");
    return result.value_or(Store::ChangeResult {});
}

using Kind = Store::ChangeRequest::Kind;

void tst_RedisStore::changesTakeRevsAndRefuse()
{
    Message mentioning = draft(QStringLiteral("c2"));
    mentioning.mentions = { QStringLiteral("bob") };
    const auto sent = appendAll({ draft(QStringLiteral("c1")), mentioning, draft(QStringLiteral("c3")) });
    QCOMPARE(sent[2].message->rev, 3);
    const QByteArray first = sent[0].message->id;
    const QByteArray second = sent[1].message->id;
    const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob");

    QCOMPARE(changeNow(Kind::Edit, first, bob, QStringLiteral("x")).refusal->code, Chat::ErrorCode::Forbidden);
    auto edited = changeNow(Kind::Edit, first, alice, QStringLiteral("edited ✓ \"/\""));
    QVERIFY(edited.changed);
    QCOMPARE(edited.message->rev, 4);
    QCOMPARE(edited.message->text, QStringLiteral("edited ✓ \"/\""));
    QVERIFY(edited.message->editedAt > 0);
    auto again = changeNow(Kind::Edit, first, alice, QStringLiteral("edited ✓ \"/\""));
    QVERIFY(!again.changed);
    QCOMPARE(again.message->rev, 4); // nothing changed: no rev taken

    QCOMPARE(changeNow(Kind::Delete, second, bob).refusal->code, Chat::ErrorCode::Forbidden);
    auto moderated = request(Kind::Delete, second, bob, {}, true);
    moderated.mayDeleteOthers = true;
    std::optional<Store::ChangeResult> deleted;
    m_store->change(moderated, [&deleted](const Store::ChangeResult &r) { deleted = r; });
    QTRY_VERIFY(deleted.has_value());
    QVERIFY(deleted->changed && deleted->message->deleted);
    QCOMPARE(deleted->message->rev, 5);
    QVERIFY(deleted->message->text.isEmpty() && deleted->message->mentions.isEmpty());
    QCOMPARE(changeNow(Kind::Delete, second, alice).message->rev, 5); // idempotent
    QCOMPARE(changeNow(Kind::Edit, second, alice, QStringLiteral("x")).refusal->code, Chat::ErrorCode::Conflict);
    QCOMPARE(changeNow(Kind::Delete, "nosuchid", alice).refusal->code, Chat::ErrorCode::NotFound);

    QCOMPARE(m_store->lastRev(QStringLiteral("room")), 5);
    QCOMPARE(m_store->findRoom(QStringLiteral("room"))->lastRev, 5);
    QList<qint64> revs;
    for (const Message &m : m_store->updates(QStringLiteral("room"), 0, 10))
        revs.append(m.rev);
    QCOMPARE(revs, (QList<qint64> { 3, 4, 5 })); // each message once, at its latest state
    const auto page = m_store->updates(QStringLiteral("room"), 3, 1);
    QCOMPARE(page.size(), 1);
    QCOMPARE(page.first().id, first);
    QCOMPARE(m_store->findMessage(QStringLiteral("room"), first)->text, edited.message->text);
    QVERIFY(!m_store->findMessage(QStringLiteral("room"), "nosuchid"));
    QVERIFY(m_store->history(QStringLiteral("room"), 0, std::nullopt, 10).at(1).deleted);
    // A repeated send answers the message as it is now.
    QCOMPARE(appendAll({ draft(QStringLiteral("c1")) }).first().message->text, edited.message->text);
}

void tst_RedisStore::reactionsKeepFirstReactionOrder()
{
    const QByteArray id = appendAll({ draft(QStringLiteral("c1")) }).first().message->id;
    const QString smile = QStringLiteral("🙂");
    for (int i = 0; i < 25; ++i)
        QVERIFY(changeNow(Kind::React, id, QStringLiteral("u%1").arg(i), smile).changed);
    QVERIFY(!changeNow(Kind::React, id, QStringLiteral("u0"), smile).changed);
    auto result = changeNow(Kind::React, id, QStringLiteral("u3"), smile, false);
    QCOMPARE(result.message->reactions.size(), 1);
    const Chat::Reaction reaction = result.message->reactions.first();
    QCOMPARE(reaction.count, 24);
    QCOMPARE(reaction.users.size(), Chat::MaxReactionUsersListed);
    QCOMPARE(reaction.users.at(2), QStringLiteral("u2"));
    QCOMPARE(reaction.users.at(3), QStringLiteral("u4"));
    QCOMPARE(reaction.users.last(), QStringLiteral("u20"));
    for (int i = 1; i < Chat::MaxDistinctReactions; ++i)
        QVERIFY(changeNow(Kind::React, id, QStringLiteral("u0"), QStringLiteral("e%1").arg(i)).changed);
    const qint64 rev = m_store->lastRev(QStringLiteral("room"));
    QCOMPARE(changeNow(Kind::React, id, QStringLiteral("u0"), QStringLiteral("new")).refusal->code,
             Chat::ErrorCode::TooLarge);
    QCOMPARE(m_store->lastRev(QStringLiteral("room")), rev);
    QVERIFY(changeNow(Kind::React, id, QStringLiteral("u0"), QStringLiteral("e1"), false).changed);
    result = changeNow(Kind::React, id, QStringLiteral("u0"), QStringLiteral("new"));
    QCOMPARE(result.message->reactions.size(), Chat::MaxDistinctReactions);
    QCOMPARE(result.message->reactions.first().emoji, smile);
    QCOMPARE(result.message->reactions.last().emoji, QStringLiteral("new"));
    QVERIFY(changeNow(Kind::Delete, id, QStringLiteral("alice")).message->reactions.isEmpty());
    QVERIFY(m_connection->command({ "KEYS", "confab:rx:*" })->elements.isEmpty()); // gone with the message
}

void tst_RedisStore::readStateCountsFromSortedSets()
{
    const QString room = QStringLiteral("room"), bob = QStringLiteral("bob");
    QVERIFY(m_store->addMember(room, bob));
    Message mentioning = draft(QStringLiteral("c2"));
    mentioning.mentions = { bob };
    Message fromBob = draft(QStringLiteral("c4"));
    fromBob.from = bob;
    const auto sent = appendAll(
        { draft(QStringLiteral("c1")), mentioning, draft(QStringLiteral("c3")), fromBob, draft(QStringLiteral("c5")) });
    auto state = m_store->readStates(bob).value(room);
    QCOMPARE((QList<qint64> { state.readSeq, state.unread, state.mentions }), (QList<qint64> { 0, 4, 1 }));
    state = m_store->setReadPosition(room, bob, 2);
    QCOMPARE((QList<qint64> { state.readSeq, state.unread, state.mentions }), (QList<qint64> { 2, 2, 0 }));
    QCOMPARE(m_store->setReadPosition(room, bob, 1).readSeq, 2); // forward only
    // An edit that starts mentioning bob after his read position counts; a delete uncounts.
    QVERIFY(changeNow(Kind::Delete, sent[4].message->id, QStringLiteral("alice")).changed);
    auto edit = request(Kind::Edit, sent[2].message->id, QStringLiteral("alice"), QStringLiteral("@bob"), true);
    edit.mentions = { bob };
    m_store->change(edit, [](const Store::ChangeResult &) {});
    QTRY_COMPARE(m_store->readStates(bob).value(room).mentions, 1);
    QCOMPARE(m_store->readStates(bob).value(room).unread, 1);
    state = m_store->setReadPosition(room, bob, 100);
    QCOMPARE((QList<qint64> { state.readSeq, state.unread, state.mentions }), (QList<qint64> { 5, 0, 0 }));
    m_store->setReadPosition(room, QStringLiteral("alice"), 3);
    const QMap<QString, qint64> expected { { bob, 5 }, { QStringLiteral("alice"), 3 } };
    QCOMPARE(m_store->readPositions(room, 10), expected);
    QCOMPARE(m_store->readPositions(room, 1).keys(), QStringList { QStringLiteral("alice") }); // the most recent
}

void tst_RedisStore::migrationFromV1IsIdempotent()
{
    // A room as v1 left it: messages without rev, no indexes, read receipts.
    const QList<Redis::Command> v1 {
        { "HSET", "confab:room:old", "topic", "t", "direct", "0", "createdAt", "1", "lastSeq", "3" },
        { "SADD", "confab:rooms", "old" },
        { "SADD", "confab:roomsof:bob", "old" },
        { "SADD", "confab:members:old", "bob", "alice" },
        { "ZADD", "confab:msgs:old", "1",
          R"({"room":"old","id":"a1","seq":1,"ts":5,"from":"alice","text":"one ✓","clientId":"c1"})" },
        { "ZADD", "confab:msgs:old", "2",
          R"({"room":"old","id":"a2","seq":2,"ts":6,"from":"bob","text":"two","clientId":"c2"})" },
        { "ZADD", "confab:msgs:old", "3",
          R"({"room":"old","id":"a3","seq":3,"ts":7,"from":"alice","text":"three","clientId":"c3"})" },
        { "HSET", "confab:receipts:old", "bob:read", "1", "bob:delivered", "3" },
        { "DEL", "confab:schema" },
    };
    QVERIFY(m_connection->pipeline(v1));
    QVERIFY(m_store->migrate());
    QCOMPARE(m_connection->command({ "GET", "confab:schema" })->string, QByteArray("3"));
    const QString old = QStringLiteral("old");
    // v3: public and in the directory, owned by the sender of its first message.
    QCOMPARE(m_store->findRoom(old)->visibility, Chat::Visibility::Public);
    QCOMPARE(m_store->roles(old),
             (QHash<QString, Chat::RoomRole> { { QStringLiteral("alice"), Chat::RoomRole::Owner } }));
    const auto listed = m_store->directory(old, 10);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().lastActivity, 7); // its last message's time
    QCOMPARE(listed.first().memberCount, 2);
    QCOMPARE(m_store->findRoom(old)->lastRev, 3);
    const auto history = m_store->history(old, 0, std::nullopt, 10);
    QCOMPARE(history.size(), 3);
    for (const Message &m : history)
        QCOMPARE(m.rev, m.seq);
    QCOMPARE(history.first().text, QStringLiteral("one ✓"));
    QCOMPARE(m_store->updates(old, 1, 10).size(), 2);
    QCOMPARE(m_store->findMessage(old, "a2")->from, QStringLiteral("bob"));
    const auto state = m_store->readStates(QStringLiteral("bob")).value(old);
    QCOMPARE((QList<qint64> { state.readSeq, state.unread, state.mentions }), (QList<qint64> { 1, 1, 0 }));
    QCOMPARE(m_store->readPositions(old, 10).value(QStringLiteral("bob")), 1);

    // Again, as a second node starting at the same time would: nothing changes.
    const auto before = m_connection->command({ "ZRANGE", "confab:msgs:old", "0", "-1" })->elements.size();
    QVERIFY(m_connection->command({ "DEL", "confab:schema" }));
    QVERIFY(m_store->migrate());
    QCOMPARE(m_connection->command({ "ZRANGE", "confab:msgs:old", "0", "-1" })->elements.size(), before);
    QCOMPARE(m_store->findRoom(old)->lastRev, 3);

    auto edit = request(Kind::Edit, "a1", QStringLiteral("alice"), QStringLiteral("one, edited"), true);
    edit.room = old;
    std::optional<Store::ChangeResult> edited;
    m_store->change(edit, [&edited](const Store::ChangeResult &r) { edited = r; });
    QTRY_VERIFY(edited.has_value());
    QCOMPARE(edited->message->rev, 4);
    Message next = draft(QStringLiteral("c4"));
    next.room = old;
    const auto appended = appendAll({ next }).first().message;
    QCOMPARE((QList<qint64> { appended->seq, appended->rev }), (QList<qint64> { 4, 5 }));
}

void tst_RedisStore::changeInAppendPipelineKeepsRevOrder()
{
    const QByteArray id = appendAll({ draft(QStringLiteral("c1")) }).first().message->id;
    const qint64 batches = m_store->batches();
    QList<qint64> revs(4, 0);
    int done = 0;
    auto appended = [&revs, &done](int i) {
        return [&revs, &done, i](const Store::AppendResult &r) {
            revs[i] = r.message ? r.message->rev : -1;
            ++done;
        };
    };
    auto changed = [&revs, &done](int i) {
        return [&revs, &done, i](const Store::ChangeResult &r) {
            revs[i] = r.message ? r.message->rev : -1;
            ++done;
        };
    };
    m_store->append(draft(QStringLiteral("c2")), appended(0));
    m_store->change(request(Kind::Edit, id, QStringLiteral("alice"), QStringLiteral("e"), true), changed(1));
    m_store->append(draft(QStringLiteral("c3")), appended(2));
    m_store->change(request(Kind::React, id, QStringLiteral("bob"), QStringLiteral("👍"), true), changed(3));
    QTRY_COMPARE(done, 4);
    QCOMPARE(m_store->batches(), batches + 1); // one pipeline
    QCOMPARE(revs, (QList<qint64> { 2, 3, 4, 5 }));
}

void tst_RedisStore::changeLostWithTheConnectionIsNotAcked()
{
    const QByteArray id = appendAll({ draft(QStringLiteral("c1")) }).first().message->id;
    // Redis holds every command from now on, so the change is sent but never answered.
    QVERIFY(m_connection->command({ "CLIENT", "PAUSE", "20000", "ALL" }));
    std::optional<Store::ChangeResult> result;
    m_store->change(request(Kind::Edit, id, QStringLiteral("alice"), QStringLiteral("lost"), true),
                    [&result](const Store::ChangeResult &r) { result = r; });
    QTest::qWait(200);
    QVERIFY(!result);
    stopRedis();
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(!result->message && !result->refusal); // a failure: the service answers unavailable
    QVERIFY(startRedis());
    QTRY_VERIFY_WITH_TIMEOUT(m_store->isAvailable(), 10000);
    QCOMPARE(m_store->findMessage(QStringLiteral("room"), id)->text, draft(QStringLiteral("c1")).text);
    QCOMPARE(m_store->lastRev(QStringLiteral("room")), 1);
}

QTEST_GUILESS_MAIN(tst_RedisStore)
#include "tst_redisstore.moc"
