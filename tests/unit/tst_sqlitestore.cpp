// The embedded store: group commit, idempotency, seq without gaps, history paging,
// membership, persistence across reopening; protocol v2 (the shared store cases, plus
// durability of changes, the v1 -> v2 migration and room:list as one query).
#include "chat/fulltext.h"
#include "storage/sqlitestore.h"
#include "storecases.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Confab;
using Chat::Message;
using Chat::Store;

namespace {

// What v6 added (rooms' visibility and roles, bans): gone again for a database made to
// look older.
QStringList undoV6()
{
    return { QStringLiteral("DROP TABLE bans"), QStringLiteral("ALTER TABLE rooms DROP COLUMN visibility"),
             QStringLiteral("ALTER TABLE rooms DROP COLUMN created_at"),
             QStringLiteral("ALTER TABLE members DROP COLUMN role") };
}

} // namespace

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
    void revisionsAndChanges();
    void reactionsAndReplies();
    void unreadAndMentions();
    void readPositions();
    void files() { StoreCases::files(m_store); }
    void roomsAndRoles() { StoreCases::roomsAndRoles(m_store); }
    void changesSurviveReopen();
    void readStateJoinsTheGroupCommit();
    void search();
    void searchIndexBuiltForAV2Database();
    void searchIndexRebuiltWithPrefixesForAV4Database_data();
    void searchIndexRebuiltWithPrefixesForAV4Database();
    void failedCommitRollsBack();
    void readStatesIsOneQuery();
    void migratesV1();
    void failedMigrationLeavesV1();

private:
    Message draft(const QString &clientId) const
    {
        return {
            QStringLiteral("room"), {}, 0, 0, QStringLiteral("alice"), QStringLiteral("text ") + clientId, clientId
        };
    }
    // Appends and runs the event loop until every callback ran.
    QList<Store::AppendResult> appendAll(const QStringList &clientIds);

    void reopen();
    // Compares every member's kept counts with counting history the slow way.
    void checkCounters(const QString &room);

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

void tst_SqliteStore::reopen()
{
    delete m_store;
    m_store = new Storage::SqliteStore;
    QString error;
    QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("test.db")), &error), qPrintable(error));
}

namespace {

// A second connection to the store's file, closed when it goes.
class Connection
{
public:
    explicit Connection(const QString &path, const QStringList &statements = {})
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("side"));
        db.setDatabaseName(path);
        db.open();
        for (const QString &statement : statements)
            query(statement);
    }
    ~Connection() { QSqlDatabase::removeDatabase(QStringLiteral("side")); }
    QSqlQuery query(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(QStringLiteral("side")));
        if (!query.exec(sql))
            qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return query;
    }
};

} // namespace

void tst_SqliteStore::checkCounters(const QString &room)
{
    const Connection side(m_dir->filePath(QStringLiteral("test.db")));
    QSqlQuery query = side.query(
        QStringLiteral("SELECT m.user, m.read_seq,"
                       " (SELECT COUNT(*) FROM messages g WHERE g.room = m.room AND g.seq > m.read_seq"
                       "  AND g.deleted = 0 AND g.sender != m.user),"
                       " (SELECT COUNT(*) FROM messages g, json_each(g.mentions) j WHERE g.room = m.room"
                       "  AND g.seq > m.read_seq AND g.deleted = 0 AND g.sender != m.user AND j.value = m.user)"
                       " FROM members m WHERE m.room = '%1'")
            .arg(room));
    int checked = 0;
    while (query.next()) {
        const QString user = query.value(0).toString();
        QCOMPARE(StoreCases::readState(m_store, room, user),
                 (QList<qint64> { query.value(1).toLongLong(), query.value(2).toLongLong(),
                                  query.value(3).toLongLong() }));
        ++checked;
    }
    QVERIFY(checked > 0);
}

void tst_SqliteStore::revisionsAndChanges()
{
    StoreCases::revisionsAndChanges(m_store);
}

void tst_SqliteStore::reactionsAndReplies()
{
    StoreCases::reactionsAndReplies(m_store);
}

void tst_SqliteStore::unreadAndMentions()
{
    StoreCases::unreadAndMentions(m_store);
    checkCounters(QStringLiteral("v2-counts"));
}

void tst_SqliteStore::readPositions()
{
    StoreCases::readPositions(m_store);
}

void tst_SqliteStore::changesSurviveReopen()
{
    const QString room = QStringLiteral("room");
    m_store->addMember(room, QStringLiteral("alice"));
    m_store->addMember(room, QStringLiteral("bob"));
    const auto sent = StoreCases::send(m_store, room, QStringLiteral("bob"), QStringLiteral("@alice hi"),
                                       { QStringLiteral("alice") });
    QVERIFY(sent);
    // Acked once committed: reopening finds it.
    QVERIFY(StoreCases::edit(m_store, *sent, QStringLiteral("bob"), QStringLiteral("edited")).changed);
    QVERIFY(StoreCases::react(m_store, *sent, QStringLiteral("alice"), QStringLiteral("🎉")).changed);
    reopen();
    const auto found = m_store->findMessage(room, sent->id);
    QCOMPARE(found->text, QStringLiteral("edited"));
    QCOMPARE(found->rev, 3);
    QCOMPARE(found->reactions.first().users, QStringList { QStringLiteral("alice") });
    QCOMPARE(m_store->lastRev(room), 3);
    QCOMPARE(StoreCases::readState(m_store, room, QStringLiteral("alice")), (QList<qint64> { 0, 1, 0 }));
}

// Receipts and read positions cost no commit of their own: a pass's are coalesced and
// written in its one group commit, answered meanwhile as if written, and on disk after it.
void tst_SqliteStore::readStateJoinsTheGroupCommit()
{
    const QString room = QStringLiteral("room");
    const QStringList readers { QStringLiteral("bob"), QStringLiteral("carol") };
    StoreCases::createRoom(m_store, room, readers + QStringList { QStringLiteral("alice") });
    for (int i = 0; i < 3; ++i)
        QVERIFY(StoreCases::send(m_store, room, QStringLiteral("alice"), QString::number(i)));
    const qint64 commitsBefore = m_store->commits();
    for (const QString &reader : readers) {
        for (qint64 seq = 1; seq <= 3; ++seq) {
            m_store->setReceipt(room, reader, QStringLiteral("read"), seq);
            QCOMPARE(m_store->setReadPosition(room, reader, seq).unread, 3 - seq);
        }
    }
    m_store->setReadPosition(room, readers[0], 1); // never back, even before it is written
    QCOMPARE(StoreCases::readState(m_store, room, readers[0]), (QList<qint64> { 3, 0, 0 }));
    QCOMPARE(m_store->readPositions(room, 1).keys(), QStringList { readers[1] }); // the most recent
    QTRY_COMPARE(m_store->commits(), commitsBefore + 1);
    reopen();
    QCOMPARE(StoreCases::readState(m_store, room, readers[0]), (QList<qint64> { 3, 0, 0 }));
    QCOMPARE(m_store->readPositions(room, 10), (QMap<QString, qint64> { { readers[0], 3 }, { readers[1], 3 } }));
    QCOMPARE(m_store->readPositions(room, 1).keys(), QStringList { readers[1] });
}

// The words of what alice may read: any order, the last word a prefix, accents ignored,
// edits and deletes followed at once, newest first, paging with beforeSeq in a room.
void tst_SqliteStore::search()
{
    const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob"), carol = QStringLiteral("carol");
    StoreCases::createRoom(m_store, QStringLiteral("s1"), { alice, bob });
    StoreCases::createRoom(m_store, QStringLiteral("s2"), { alice, carol });
    StoreCases::createRoom(m_store, QStringLiteral("s3"), { carol });
    const auto fox = StoreCases::send(m_store, QStringLiteral("s1"), alice, QStringLiteral("the quick brown fox"));
    const auto dog = StoreCases::send(m_store, QStringLiteral("s1"), bob, QStringLiteral("lazy dog sleeps"));
    const auto bread
        = StoreCases::send(m_store, QStringLiteral("s1"), alice, QStringLiteral("Brown bread at the café"));
    const auto lunch = StoreCases::send(m_store, QStringLiteral("s2"), carol, QStringLiteral("quick lunch?"));
    const auto secret = StoreCases::send(m_store, QStringLiteral("s3"), carol, QStringLiteral("quick secret"));
    QVERIFY(fox && dog && bread && lunch && secret);
    const auto find = [this](const QString &user, const QString &words, const QString &room = {},
                             std::optional<qint64> beforeSeq = {}) {
        const auto found = m_store->search({ user, words, room, beforeSeq, 20 });
        QList<QString> keys;
        for (const Message &message : found.value_or(QList<Message> {}))
            keys.append(QStringLiteral("%1/%2").arg(message.room).arg(message.seq));
        return keys;
    };
    QCOMPARE(find(alice, QStringLiteral("fox quick")), QList<QString> { u"s1/1"_s });
    QCOMPARE(find(alice, QStringLiteral("qui")), (QList<QString> { u"s2/1"_s, u"s1/1"_s })); // not s3's
    QCOMPARE(find(carol, QStringLiteral("QUICK")), (QList<QString> { u"s3/1"_s, u"s2/1"_s }));
    QCOMPARE(find(alice, QStringLiteral("cafe")), QList<QString> { u"s1/3"_s });
    QCOMPARE(find(alice, QStringLiteral("brown"), QStringLiteral("s1")), (QList<QString> { u"s1/3"_s, u"s1/1"_s }));
    QCOMPARE(find(alice, QStringLiteral("brown"), QStringLiteral("s1"), 3), QList<QString> { u"s1/1"_s });
    QCOMPARE(find(alice, QStringLiteral("fox\" OR \"dog")), QList<QString> {}); // words, never FTS5 syntax

    QVERIFY(StoreCases::edit(m_store, *fox, alice, QStringLiteral("the slow turtle")).changed);
    QVERIFY(StoreCases::remove(m_store, *dog, bob).changed);
    QCOMPARE(find(alice, QStringLiteral("fox")), QList<QString> {});
    QCOMPARE(find(alice, QStringLiteral("turtle")), QList<QString> { u"s1/1"_s });
    QCOMPARE(find(alice, QStringLiteral("dog")), QList<QString> {});

    QVERIFY(StoreCases::react(m_store, *lunch, alice, QStringLiteral("🍕")).changed);
    const auto found = m_store->search({ alice, QStringLiteral("lunch"), {}, {}, 20 });
    QCOMPARE(found->first().reactions.first().emoji, QStringLiteral("🍕"));
}

// A database at v2 (no full-text index, no files) gets an index built from its history
// when opened.
void tst_SqliteStore::searchIndexBuiltForAV2Database()
{
    const QString room = QStringLiteral("room");
    StoreCases::createRoom(m_store, room, { QStringLiteral("alice") });
    QVERIFY(StoreCases::send(m_store, room, QStringLiteral("alice"), QStringLiteral("written before search")));
    delete m_store;
    m_store = nullptr;
    {
        const QStringList v3Index { QStringLiteral("DROP TRIGGER messages_fts_insert"),
                                    QStringLiteral("DROP TRIGGER messages_fts_delete"),
                                    QStringLiteral("DROP TRIGGER messages_fts_update"),
                                    QStringLiteral("DROP TABLE messages_fts") };
        const QStringList v4Files { QStringLiteral("DROP TABLE files"), QStringLiteral("DROP TABLE message_files"),
                                    QStringLiteral("ALTER TABLE messages DROP COLUMN attachments") };
        const Connection v2(m_dir->filePath(QStringLiteral("test.db")),
                            v3Index + v4Files + undoV6() + QStringList { QStringLiteral("PRAGMA user_version = 2") });
    }
    reopen();
    const auto found = m_store->search({ QStringLiteral("alice"), QStringLiteral("before"), {}, {}, 20 });
    QCOMPARE(StoreCases::seqs(found.value_or(QList<Message> {})), QList<qint64> { 1 });
}

void tst_SqliteStore::searchIndexRebuiltWithPrefixesForAV4Database_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("v3") << 3;
    QTest::newRow("v4") << 4;
}

// A v3 or v4 database (the index without prefix indexes; v3 without files) opens as v5:
// the index is made again with them, from history, and a short prefix finds what it did.
void tst_SqliteStore::searchIndexRebuiltWithPrefixesForAV4Database()
{
    QFETCH(int, version);
    const QString room = QStringLiteral("room");
    StoreCases::createRoom(m_store, room, { QStringLiteral("alice") });
    QVERIFY(StoreCases::send(m_store, room, QStringLiteral("alice"), QStringLiteral("deploying staging tonight")));
    delete m_store;
    m_store = nullptr;
    const QString path = m_dir->filePath(QStringLiteral("test.db"));
    {
        QStringList older;
        for (const char *statement : Chat::DropMessagesFullTextIndex)
            older.append(QString::fromLatin1(statement));
        for (const char *statement : Chat::MessagesFullTextIndex)
            older.append(QString::fromLatin1(statement).replace(QLatin1String(", prefix='1 2 3'"), QString()));
        if (version == 3)
            older += { QStringLiteral("DROP TABLE files"), QStringLiteral("DROP TABLE message_files"),
                       QStringLiteral("ALTER TABLE messages DROP COLUMN attachments") };
        older += undoV6();
        older.append(QStringLiteral("PRAGMA user_version = %1").arg(version));
        const Connection old(path, older);
        QSqlQuery index = old.query(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'"));
        QVERIFY(index.next());
        QVERIFY(!Chat::isCurrentFullTextIndex(index.value(0).toString()));
    }
    reopen();
    const Connection side(path);
    QSqlQuery index = side.query(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'"));
    QVERIFY(index.next());
    QVERIFY(Chat::isCurrentFullTextIndex(index.value(0).toString()));
    for (const QString &words : { QStringLiteral("st"), QStringLiteral("tonight dep") }) {
        const auto found = m_store->search({ QStringLiteral("alice"), words, {}, {}, 20 });
        QCOMPARE(StoreCases::seqs(found.value_or(QList<Message> {})), QList<qint64> { 1 });
    }
}

void tst_SqliteStore::failedCommitRollsBack()
{
    const QString room = QStringLiteral("room");
    const auto first = StoreCases::send(m_store, room, QStringLiteral("alice"), QStringLiteral("first"));
    QVERIFY(first);
    {
        const Connection side(m_dir->filePath(QStringLiteral("test.db")));
        side.query(QStringLiteral("CREATE TRIGGER boom BEFORE INSERT ON messages WHEN NEW.text = 'boom'"
                                  " BEGIN SELECT RAISE(ABORT, 'boom'); END"));
    }
    // One pass: an append, a change and the append that fails the transaction.
    int failed = 0;
    Message ok = draft(QStringLiteral("ok")), boom = draft(QStringLiteral("boom"));
    boom.text = QStringLiteral("boom");
    m_store->append(ok, [&](const Store::AppendResult &r) { failed += !r.message; });
    m_store->change(
        { StoreCases::Kind::React, room, first->id, QStringLiteral("bob"), false, {}, {}, QStringLiteral("👍") },
        [&](const Store::ChangeResult &r) { failed += !r.message && !r.refusal; });
    m_store->append(boom, [&](const Store::AppendResult &r) { failed += !r.message; });
    QVERIFY(QTest::qWaitFor([&] { return failed == 3; }, 5000));
    QCOMPARE(m_store->lastRev(room), 1);
    QVERIFY(m_store->findMessage(room, first->id)->reactions.isEmpty());
    // seq and rev go on from what was committed.
    const auto next = StoreCases::send(m_store, room, QStringLiteral("alice"), QStringLiteral("next"));
    QCOMPARE(next->seq, 2);
    QCOMPARE(next->rev, 2);
}

void tst_SqliteStore::readStatesIsOneQuery()
{
    // room:list for a user in 1,000 rooms: one statement, whatever the number of rooms.
    const QString user = QStringLiteral("alice");
    for (int i = 0; i < 1000; ++i)
        StoreCases::createRoom(m_store, QStringLiteral("r%1").arg(i), { user, QStringLiteral("bob") });
    for (int i = 0; i < 10; ++i)
        QVERIFY(StoreCases::send(m_store, QStringLiteral("r%1").arg(i * 100), QStringLiteral("bob"),
                                 QStringLiteral("@alice"), { user }));
    const qint64 before = m_store->statements();
    const QHash<QString, Store::ReadState> states = m_store->readStates(user);
    QCOMPARE(m_store->statements() - before, 1);
    QCOMPARE(states.size(), 1000);
    QCOMPARE(StoreCases::readState(states.value(QStringLiteral("r500"))), (QList<qint64> { 0, 1, 1 }));
    QCOMPARE(StoreCases::readState(states.value(QStringLiteral("r501"))), (QList<qint64> { 0, 0, 0 }));
}

namespace {

// A v1 data directory's database, as the v1 store created and filled it. Its CREATE
// statements are copied here rather than kept as a binary file: the text is what v1
// ran, reviewable in a diff, and does not depend on the SQLite file format version.
const char *const V1Database[] = {
    // v1's schema, verbatim.
    "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash BLOB NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY, topic TEXT NOT NULL DEFAULT '',"
    " is_direct INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS members (room TEXT NOT NULL, user TEXT NOT NULL, PRIMARY KEY (room, user))",
    "CREATE INDEX IF NOT EXISTS members_by_user ON members (user)",
    "CREATE TABLE IF NOT EXISTS messages (room TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,"
    " sender TEXT NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL,"
    " PRIMARY KEY (room, seq), UNIQUE (sender, client_id))",
    "CREATE TABLE IF NOT EXISTS receipts (room TEXT NOT NULL, user TEXT NOT NULL, kind TEXT NOT NULL,"
    " seq INTEGER NOT NULL, PRIMARY KEY (room, user, kind))",
    "CREATE TABLE IF NOT EXISTS last_seen (user TEXT PRIMARY KEY, at INTEGER NOT NULL)",
    // Two rooms; in "old" alice sent 1-3, bob 4-5; bob read to 2, carol past the end.
    "INSERT INTO users VALUES ('alice', x'00', 0, 1), ('bob', x'00', 0, 1), ('carol', x'00', 0, 1)",
    "INSERT INTO rooms VALUES ('old', 'v1 topic', 0), ('empty', '', 0)",
    "INSERT INTO members VALUES ('old', 'alice'), ('old', 'bob'), ('old', 'carol'), ('empty', 'bob')",
    "INSERT INTO messages VALUES ('old', 1, 'id1', 'alice', 'c1', 'one', 1000),"
    " ('old', 2, 'id2', 'alice', 'c2', 'two', 1001), ('old', 3, 'id3', 'alice', 'c3', 'three', 1002),"
    " ('old', 4, 'id4', 'bob', 'c4', 'four', 1003), ('old', 5, 'id5', 'bob', 'c5', 'five', 1004)",
    "INSERT INTO receipts VALUES ('old', 'bob', 'read', 2), ('old', 'bob', 'delivered', 5),"
    " ('old', 'alice', 'delivered', 5), ('old', 'carol', 'read', 99)",
};

QStringList v1Database()
{
    QStringList statements;
    for (const char *statement : V1Database)
        statements.append(QString::fromLatin1(statement));
    return statements;
}

} // namespace

void tst_SqliteStore::migratesV1()
{
    const QString path = m_dir->filePath(QStringLiteral("v1.db"));
    {
        const Connection v1(path, v1Database());
    }
    delete m_store;
    m_store = new Storage::SqliteStore;
    QString error;
    QVERIFY2(m_store->open(path, &error), qPrintable(error));
    const QString room = QStringLiteral("old");
    const QList<Message> history = m_store->history(room, 0, std::nullopt, 10);
    QCOMPARE(StoreCases::revs(history), (QList<qint64> { 1, 2, 3, 4, 5 }));
    QCOMPARE(history[3].text, QStringLiteral("four"));
    QCOMPARE(m_store->lastRev(room), 5);
    QCOMPARE(m_store->findRoom(room)->lastRev, 5);
    QCOMPARE(m_store->findRoom(QStringLiteral("empty"))->lastRev, 0);
    QCOMPARE(StoreCases::readState(m_store, room, QStringLiteral("alice")), (QList<qint64> { 0, 2, 0 }));
    QCOMPARE(StoreCases::readState(m_store, room, QStringLiteral("bob")), (QList<qint64> { 2, 1, 0 }));
    QCOMPARE(StoreCases::readState(m_store, room, QStringLiteral("carol")), (QList<qint64> { 5, 0, 0 }));
    QCOMPARE(m_store->readPositions(room, 10),
             (QMap<QString, qint64> { { QStringLiteral("bob"), 2 }, { QStringLiteral("carol"), 5 } }));
    // New appends and changes go on from there.
    const auto next = StoreCases::send(m_store, room, QStringLiteral("carol"), QStringLiteral("@bob six"),
                                       { QStringLiteral("bob") });
    QCOMPARE(next->seq, 6);
    QCOMPARE(next->rev, 6);
    const auto old = m_store->findMessage(room, "id3");
    QVERIFY(old);
    QCOMPARE(StoreCases::remove(m_store, *old, QStringLiteral("alice")).message->rev, 7);
    QCOMPARE(StoreCases::seqs(m_store->updates(room, 5, 10)), (QList<qint64> { 6, 3 }));
    QCOMPARE(StoreCases::readState(m_store, room, QStringLiteral("bob")), (QList<qint64> { 2, 1, 1 }));
    QCOMPARE(m_store->findUser(QStringLiteral("alice"))->createdAt, 1);
    // v6: v1 rooms are public, owned by their first member (the creator, as v1 kept no other record).
    QCOMPARE(m_store->findRoom(room)->visibility, Chat::Visibility::Public);
    QCOMPARE(m_store->roleOf(room, QStringLiteral("alice")), Chat::RoomRole::Owner);
    QCOMPARE(m_store->roleOf(room, QStringLiteral("bob")), Chat::RoomRole::Member);
    QCOMPARE(m_store->roleOf(QStringLiteral("empty"), QStringLiteral("bob")), Chat::RoomRole::Owner);
    QCOMPARE(m_store->directory({}, 10).size(), 2);
    const auto found = m_store->search({ QStringLiteral("alice"), QStringLiteral("four"), room, {}, 10 });
    QCOMPARE(StoreCases::seqs(found.value_or(QList<Message> {})), QList<qint64> { 4 }); // old history is indexed
    // v4: files, and messages that carry them.
    QVERIFY(old->attachments.isEmpty());
    QVERIFY(m_store->addFile(
        { "f1", QByteArray(64, 'c'), QStringLiteral("a.png"), "image/png", 7, QStringLiteral("bob"), 1 }));
    Chat::Attachment attachment;
    attachment.id = "f1";
    const auto withFile = StoreCases::send(m_store, room, QStringLiteral("bob"), {}, {}, { attachment });
    QVERIFY(withFile);
    QVERIFY(m_store->mayAccessFile(QStringLiteral("carol"), "f1"));
    delete m_store; // and a second open finds v4: nothing to migrate
    m_store = new Storage::SqliteStore;
    QVERIFY2(m_store->open(path, &error), qPrintable(error));
    QCOMPARE(m_store->lastRev(room), 8);
    QCOMPARE(m_store->findMessage(room, withFile->id)->attachments.first().id, QByteArray("f1"));
}

void tst_SqliteStore::failedMigrationLeavesV1()
{
    // A table in the way of the migration makes it fail part-way.
    const QString path = m_dir->filePath(QStringLiteral("v1.db"));
    {
        const Connection v1(path, v1Database() + QStringList { QStringLiteral("CREATE TABLE mentions (x)") });
    }
    Storage::SqliteStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY2(error.contains(QStringLiteral("cannot migrate the schema from version 0 to %1")
                                .arg(Storage::SqliteStore::SchemaVersion)),
             qPrintable(error));
    const Connection side(path);
    QSqlQuery version = side.query(QStringLiteral("PRAGMA user_version"));
    QVERIFY(version.next());
    QCOMPARE(version.value(0).toInt(), 0);
    QVERIFY(!side.query(QStringLiteral("SELECT rev FROM messages")).isActive()); // no v2 column
    QSqlQuery count = side.query(QStringLiteral("SELECT COUNT(*) FROM messages"));
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 5);
}

QTEST_GUILESS_MAIN(tst_SqliteStore)
#include "tst_sqlitestore.moc"
