// The embedded store: group commit, idempotency, seq without gaps, history paging,
// membership, and persistence across reopening.
#include "storage/sqlitestore.h"
#include "storecases.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab;
using Chat::Message;
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
    Message draft(const QString &clientId) const
    {
        return {
            QStringLiteral("room"), {}, 0, 0, QStringLiteral("alice"), QStringLiteral("text ") + clientId, clientId
        };
    }
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
        m_store->append(draft(clientIds[i]), [&results, &done, i](const Store::AppendResult &r) {
            results[i] = r;
            ++done;
        });
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
    QCOMPARE(m_store->commits(), 1); // one transaction for the whole pass
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
    StoreCases::historyPaging(m_store, [this](const QStringList &ids) { return appendAll(ids); });
}

void tst_SqliteStore::membership()
{
    StoreCases::accountsRoomsMembers(m_store);
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
