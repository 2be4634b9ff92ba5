// The embedded store: group commit, idempotency, seq without gaps, history paging,
// membership, and persistence across reopening.
#include "storage/sqlitestore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab;
using Chat::MessageRecord;
using Chat::Store;

class tst_SqliteStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void groupCommitAndIdempotency();
    void historyPaging();
    void membership();
    void survivesReopen();

private:
    MessageRecord draft(const QString &clientId) const { return { QStringLiteral("room"), {}, 0, 0, QStringLiteral("alice"), QStringLiteral("text ") + clientId, clientId }; }
    // Appends and runs the event loop until every callback ran.
    QList<Store::AppendResult> appendAll(const QStringList &clientIds);

    QTemporaryDir *m_dir = nullptr;
    Storage::SqliteStore *m_store = nullptr;
};

void tst_SqliteStore::init()
{
    m_dir = new QTemporaryDir;
    m_store = new Storage::SqliteStore;
    QString error;
    QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("test.db")), &error), qPrintable(error));
    QVERIFY(m_store->createRoom({ QStringLiteral("room"), QStringLiteral("topic"), false, 0 }));
}

void tst_SqliteStore::cleanup()
{
    delete m_store;
    delete m_dir;
}

QList<Store::AppendResult> tst_SqliteStore::appendAll(const QStringList &clientIds)
{
    QList<Store::AppendResult> results(clientIds.size());
    int done = 0;
    for (int i = 0; i < clientIds.size(); ++i)
        m_store->append(draft(clientIds[i]), [&results, &done, i](const Store::AppendResult &r) { results[i] = r; ++done; });
    // On a timeout the missing results stay empty, and the callers' checks fail.
    if (!QTest::qWaitFor([&] { return done == clientIds.size(); }, 5000))
        qWarning("appendAll: %d of %d callbacks ran", done, int(clientIds.size()));
    return results;
}

void tst_SqliteStore::groupCommitAndIdempotency()
{
    QStringList ids;
    for (int i = 0; i < 100; ++i)
        ids.append(QStringLiteral("c%1").arg(i));
    ids.append(QStringLiteral("c7")); // a repeat inside the same batch
    const auto results = appendAll(ids);
    QCOMPARE(m_store->commits(), 1);  // one transaction for the whole pass
    QCOMPARE(m_store->appended(), 100);
    for (int i = 0; i < 100; ++i) {
        QVERIFY(results[i].message.has_value());
        QCOMPARE(results[i].message->seq, i + 1);
        QVERIFY(!results[i].isDuplicate);
    }
    QVERIFY(results[100].isDuplicate);
    QCOMPARE(results[100].message->id, results[7].message->id);
    // A repeat after the commit: answered from disk, nothing new written.
    const auto again = appendAll({ QStringLiteral("c42") });
    QVERIFY(again[0].isDuplicate);
    QCOMPARE(again[0].message->seq, 43);
    QCOMPARE(m_store->appended(), 100);
    QCOMPARE(m_store->findRoom(QStringLiteral("room"))->lastSeq, 100);
}

void tst_SqliteStore::historyPaging()
{
    QStringList ids;
    for (int i = 1; i <= 30; ++i)
        ids.append(QString::number(i));
    appendAll(ids);
    auto seqs = [](const QList<MessageRecord> &messages) {
        QList<qint64> out;
        for (const MessageRecord &m : messages)
            out.append(m.seq);
        return out;
    };
    QCOMPARE(seqs(m_store->history(QStringLiteral("room"), 0, std::nullopt, 3)), (QList<qint64> { 1, 2, 3 }));
    QCOMPARE(seqs(m_store->history(QStringLiteral("room"), 28, std::nullopt, 10)), (QList<qint64> { 29, 30 }));
    QCOMPARE(seqs(m_store->history(QStringLiteral("room"), std::nullopt, std::nullopt, 3)), (QList<qint64> { 28, 29, 30 }));
    QCOMPARE(seqs(m_store->history(QStringLiteral("room"), std::nullopt, 10, 3)), (QList<qint64> { 7, 8, 9 }));
    QCOMPARE(seqs(m_store->history(QStringLiteral("room"), 5, 9, 10)), (QList<qint64> { 6, 7, 8 }));
    QVERIFY(m_store->history(QStringLiteral("other"), 0, std::nullopt, 10).isEmpty());
    const MessageRecord first = m_store->history(QStringLiteral("room"), 0, std::nullopt, 1).first();
    QCOMPARE(first.from, QStringLiteral("alice"));
    QCOMPARE(first.text, QStringLiteral("text 1"));
    QCOMPARE(first.clientId, QStringLiteral("1"));
    QVERIFY(first.ts > 0);
}

void tst_SqliteStore::membership()
{
    QVERIFY(m_store->addMember(QStringLiteral("room"), QStringLiteral("alice")));
    QVERIFY(!m_store->addMember(QStringLiteral("room"), QStringLiteral("alice")));
    QVERIFY(m_store->addMember(QStringLiteral("room"), QStringLiteral("bob")));
    QCOMPARE(m_store->members(QStringLiteral("room")), (QStringList { QStringLiteral("alice"), QStringLiteral("bob") }));
    QVERIFY(m_store->isMember(QStringLiteral("room"), QStringLiteral("bob")));
    QCOMPARE(m_store->roomsOf(QStringLiteral("bob")).size(), 1);
    QVERIFY(m_store->removeMember(QStringLiteral("room"), QStringLiteral("bob")));
    QVERIFY(!m_store->isMember(QStringLiteral("room"), QStringLiteral("bob")));
    QVERIFY(!m_store->createRoom({ QStringLiteral("room"), QString(), false, 0 }));
    QVERIFY(m_store->createUser({ QStringLiteral("alice"), "hash", false, 1 }));
    QVERIFY(!m_store->createUser({ QStringLiteral("alice"), "other", false, 2 }));
    QVERIFY(m_store->setUserDisabled(QStringLiteral("alice"), true));
    QVERIFY(m_store->findUser(QStringLiteral("alice"))->disabled);
    QVERIFY(!m_store->setUserDisabled(QStringLiteral("nobody"), true));
}

void tst_SqliteStore::survivesReopen()
{
    appendAll({ QStringLiteral("a"), QStringLiteral("b") });
    delete m_store;
    m_store = new Storage::SqliteStore;
    QString error;
    QVERIFY(m_store->open(m_dir->filePath(QStringLiteral("test.db")), &error));
    const auto next = appendAll({ QStringLiteral("c") });
    QCOMPARE(next[0].message->seq, 3); // seq continues from disk
    QCOMPARE(m_store->history(QStringLiteral("room"), 0, std::nullopt, 10).size(), 3);
}

QTEST_GUILESS_MAIN(tst_SqliteStore)
#include "tst_sqlitestore.moc"
