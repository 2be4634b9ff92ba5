// The client library's protocol v2 (edits, deletes, reactions, replies, updates and
// read state) with ChatSessions against a real confabd: changes reach the others live
// and through updates:fetch after a reconnect or a server restart, a change written
// offline is applied once when the connection returns, a read on one device reaches the
// user's other one, an existing client database is migrated in place, and files are
// uploaded before the message that carries them and downloaded once into a cache.
#include "chatsession.h"
#include "confabdprocess.h"
#include "membermodel.h"
#include "messagemodel.h"
#include "roomlistmodel.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab::Client;
using namespace Confab;
using Confab::Testing::ConfabdProcess;

namespace {

const QString Password = QStringLiteral("v2-password");

} // namespace

class tst_ChatV2Client : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void migratesAnOldDatabase();
    void changesReachOthersLiveAndAfterReconnect();
    void changeWrittenOfflineIsAppliedOnce();
    void readReachesTheUsersOtherSession();
    void ownMessagesShowWhatOthersReadWhileAway();
    void searchWorksOfflineFromTheCache();
    void filesUploadWithProgressAndCancel();
    void attachmentsUploadBeforeTheMessageAndDownloadsAreCached();
    void rolesInvitesAndKicksReachTheModels();

private:
    // Calls `request` with a callback and waits for its answer (10 s at most).
    template<typename Answer, typename Request> static Chat::Result<Answer> await(Request request)
    {
        std::optional<Chat::Result<Answer>> result;
        request([&result](const Chat::Result<Answer> &answer) { result = answer; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10000))
            return Chat::Error { Chat::ErrorCode::Unavailable, QStringLiteral("no answer") };
        return *result;
    }
    bool startSession(ChatSession &session, const QString &user, const QString &file, bool registers = true);
    bool createRoom(ChatSession &owner, ChatSession &member, const QString &room);
    static QJsonObject cached(ChatSession &session, const QString &room, qint64 seq);
    static Chat::UpdatesAnswer updates(ChatSession &session, const QString &room, qint64 afterRev);

    ConfabdProcess m_server;
    QTemporaryDir m_dir;
};

void tst_ChatV2Client::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
}

bool tst_ChatV2Client::startSession(ChatSession &session, const QString &user, const QString &file, bool registers)
{
    QString error;
    if (!session.openLocalStore(m_dir.filePath(file), &error))
        return false;
    session.setServerUrl(m_server.url());
    QSignalSpy synced(&session, &ChatSession::synced);
    connect(&session, &ChatSession::loggedIn, &session, &ChatSession::connectToServer);
    registers ? session.registerAccount(user, Password) : session.login(user, Password);
    return synced.wait(10000);
}

bool tst_ChatV2Client::createRoom(ChatSession &owner, ChatSession &member, const QString &room)
{
    int answered = 0;
    bool ok = true;
    owner.createRoom({ room, {} }, [&](const Chat::Result<Chat::RoomAnswer> &answer) {
        ok = ok && answer.isOk();
        ++answered;
        member.joinRoom(room, [&](const Chat::Result<Chat::JoinRoomAnswer> &joined) {
            ok = ok && joined.isOk();
            ++answered;
        });
    });
    return QTest::qWaitFor([&] { return answered == 2; }, 10000) && ok;
}

QJsonObject tst_ChatV2Client::cached(ChatSession &session, const QString &room, qint64 seq)
{
    const QList<QJsonObject> page = session.localStore()->messagesAfter(room, seq - 1, 1);
    return page.isEmpty() || page.first().value(QStringLiteral("seq")).toInteger() != seq ? QJsonObject()
                                                                                          : page.first();
}

Chat::UpdatesAnswer tst_ChatV2Client::updates(ChatSession &session, const QString &room, qint64 afterRev)
{
    std::optional<Chat::UpdatesAnswer> result;
    session.fetchUpdates(room, afterRev, [&result](const Chat::Result<Chat::UpdatesAnswer> &answer) {
        result = answer ? answer.value() : Chat::UpdatesAnswer { {}, -1 };
    });
    (void)QTest::qWaitFor([&] { return result.has_value(); }, 10000);
    return result.value_or(Chat::UpdatesAnswer { {}, -1 });
}

// A client database from before v2: its outbox (a message written offline) and cache
// gain their new columns in place, and what they held is still there.
void tst_ChatV2Client::migratesAnOldDatabase()
{
    const QString path = m_dir.filePath(QStringLiteral("old.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        for (const char *statement :
             { "CREATE TABLE outbox (client_id TEXT PRIMARY KEY, room TEXT NOT NULL, text TEXT NOT NULL,"
               " created_at INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',"
               " error_text TEXT NOT NULL DEFAULT '')",
               "INSERT INTO outbox (client_id, room, text, created_at) VALUES ('c1', 'r', 'written offline', 1)",
               "CREATE TABLE messages (id TEXT PRIMARY KEY, room TEXT NOT NULL, seq INTEGER NOT NULL,"
               " sender TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, client_id TEXT NOT NULL)",
               "INSERT INTO messages VALUES ('m1', 'r', 1, 'alice', 'cached', 5, 'c0')" })
            QVERIFY2(query.exec(QString::fromLatin1(statement)), qPrintable(query.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));

    LocalStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    const QList<OutboxEntry> outbox = store.outbox();
    QCOMPARE(outbox.size(), qsizetype(1));
    QCOMPARE(outbox.first().kind, OutboxKind::Send);
    QCOMPARE(outbox.first().text, QStringLiteral("written offline"));
    OutboxEntry edit;
    edit.room = QStringLiteral("r");
    edit.kind = OutboxKind::Edit;
    edit.messageId = "m1";
    QVERIFY2(store.enqueueChange(edit, &error), qPrintable(error));
    QCOMPARE(store.outbox().last().kind, OutboxKind::Edit);
    QCOMPARE(store.outbox().last().messageId, QByteArray("m1"));
    QCOMPARE(store.messages(QStringLiteral("r"), 10).first().value(QStringLiteral("text")).toString(),
             QStringLiteral("cached"));
    // The search index is built from what the old cache held.
    QCOMPARE(store.search(QStringLiteral("cach"), {}, {}, 10).size(), qsizetype(1));

    // An update replaces the cached message by id, and only a newer rev does.
    Chat::Message edited { QStringLiteral("r"), "m1", 1, 5, QStringLiteral("alice"), QStringLiteral("edited"),
                           QStringLiteral("c0") };
    edited.rev = 3;
    edited.editedAt = 9;
    QVERIFY(store.applyUpdate(edited.toJson()));
    edited.rev = 2;
    edited.text = QStringLiteral("older");
    QVERIFY(!store.applyUpdate(edited.toJson()));
    const QJsonObject stored = store.messages(QStringLiteral("r"), 1).first();
    QCOMPARE(stored.value(QStringLiteral("text")).toString(), QStringLiteral("edited"));
    QCOMPARE(stored.value(QStringLiteral("rev")).toInteger(), qint64(3));
    QCOMPARE(stored.value(QStringLiteral("editedAt")).toInteger(), qint64(9));
    QVERIFY(store.search(QStringLiteral("cached"), {}, {}, 10).isEmpty()); // the index follows the update
    QCOMPARE(store.search(QStringLiteral("edited"), QStringLiteral("r"), {}, 10).size(), qsizetype(1));
}

void tst_ChatV2Client::changesReachOthersLiveAndAfterReconnect()
{
    ChatSession alice, bob;
    QVERIFY(startSession(alice, QStringLiteral("v2-alice"), QStringLiteral("v2-alice.db")));
    QVERIFY(startSession(bob, QStringLiteral("v2-bob"), QStringLiteral("v2-bob.db")));
    const QString room = QStringLiteral("v2-changes");
    QVERIFY(createRoom(alice, bob, room));

    QSignalSpy received(&bob, &ChatSession::messageReceived);
    QSignalSpy sent(&alice, &ChatSession::messageSent);
    for (const char *text : { "one", "two", "three" })
        alice.sendMessage(room, QString::fromLatin1(text));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 3, 10000);
    const QByteArray first = cached(bob, room, 1).value(QStringLiteral("id")).toString().toLatin1();
    const QByteArray second = cached(bob, room, 2).value(QStringLiteral("id")).toString().toLatin1();
    const QByteArray third = cached(bob, room, 3).value(QStringLiteral("id")).toString().toLatin1();
    QVERIFY(!first.isEmpty() && !third.isEmpty());

    // A reply carries the quote.
    bob.sendMessage(room, QStringLiteral("re: one"), nullptr, first);
    QTRY_COMPARE_WITH_TIMEOUT(cached(alice, room, 4).isEmpty(), false, 10000);
    QCOMPARE(Chat::Message::fromJson(cached(alice, room, 4)).replyTo->id, first);
    QCOMPARE(Chat::Message::fromJson(cached(alice, room, 4)).replyTo->text, QStringLiteral("one"));

    // Live: edit, reaction and delete reach bob as message:update, applied to his cache.
    QSignalSpy updated(&bob, &ChatSession::messageUpdated);
    QSignalSpy applied(&alice, &ChatSession::changeApplied);
    QVERIFY(alice.editMessage(room, first, QStringLiteral("one, edited")));
    QVERIFY(alice.setReaction(room, second, QStringLiteral("👍"), true));
    QVERIFY(alice.deleteMessage(room, third));
    QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 3, 10000);
    const Chat::Message edited = Chat::Message::fromJson(cached(bob, room, 1));
    QCOMPARE(edited.text, QStringLiteral("one, edited"));
    QVERIFY(edited.editedAt > 0);
    QCOMPARE(edited.rev, applied.at(0).at(1).value<Chat::EditAnswer>().rev);
    const Chat::Message reacted = Chat::Message::fromJson(cached(bob, room, 2));
    QCOMPARE(reacted.reactions.size(), qsizetype(1));
    QCOMPARE(reacted.reactions.first().users, QStringList { QStringLiteral("v2-alice") });
    QVERIFY(Chat::Message::fromJson(cached(bob, room, 3)).deleted);
    const qint64 liveRev = bob.localStore()->lastRev(room);
    QCOMPARE(liveRev, updates(alice, room, 0).lastRev);

    // Away: bob misses an edit and a reaction taken back, then the server restarts.
    bob.disconnectFromServer();
    QVERIFY(alice.editMessage(room, first, QStringLiteral("one, edited twice")));
    QVERIFY(alice.setReaction(room, second, QStringLiteral("👍"), false));
    QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 5, 10000);
    m_server.kill();
    QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
    QSignalSpy synced(&bob, &ChatSession::synced);
    updated.clear();
    bob.connectToServer();
    QVERIFY(synced.wait(15000));
    QCOMPARE(updated.size(), qsizetype(2)); // each missed change once, from updates:fetch
    QCOMPARE(Chat::Message::fromJson(cached(bob, room, 1)).text, QStringLiteral("one, edited twice"));
    QVERIFY(Chat::Message::fromJson(cached(bob, room, 2)).reactions.isEmpty());
    QVERIFY(Chat::Message::fromJson(cached(bob, room, 3)).deleted);
    QCOMPARE(bob.localStore()->lastRev(room), updates(bob, room, 0).lastRev);
    QVERIFY(bob.localStore()->lastRev(room) > liveRev);

    // What the refusal of a change says: it is dropped, not retried.
    QSignalSpy refused(&bob, &ChatSession::changeRefused);
    QVERIFY(bob.editMessage(room, first, QStringLiteral("not mine")));
    QVERIFY(refused.wait(10000));
    QCOMPARE(refused.first().at(1).value<Chat::Error>().code, Chat::ErrorCode::Forbidden);
    QCOMPARE(bob.pendingCount(), 0);
}

void tst_ChatV2Client::changeWrittenOfflineIsAppliedOnce()
{
    ChatSession carol, dave;
    QVERIFY(startSession(carol, QStringLiteral("v2-carol"), QStringLiteral("v2-carol.db")));
    QVERIFY(startSession(dave, QStringLiteral("v2-dave"), QStringLiteral("v2-dave.db")));
    const QString room = QStringLiteral("v2-offline");
    QVERIFY(createRoom(carol, dave, room));
    QSignalSpy received(&dave, &ChatSession::messageReceived);
    carol.sendMessage(room, QStringLiteral("typo"));
    carol.sendMessage(room, QStringLiteral("to go"));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
    const QByteArray typo = cached(dave, room, 1).value(QStringLiteral("id")).toString().toLatin1();
    const QByteArray toGo = cached(dave, room, 2).value(QStringLiteral("id")).toString().toLatin1();
    const qint64 revBefore = updates(carol, room, 0).lastRev;

    // The server is gone: the changes wait in the outbox, in order.
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!carol.isOnline(), 10000);
    QSignalSpy applied(&carol, &ChatSession::changeApplied);
    QVERIFY(carol.editMessage(room, typo, QStringLiteral("fixed")));
    QVERIFY(carol.deleteMessage(room, toGo));
    QCOMPARE(carol.pendingCount(), 2);
    QCOMPARE(carol.localStore()->outbox().size(), qsizetype(2));
    QCOMPARE(carol.localStore()->outbox().first().kind, OutboxKind::Edit);

    QSignalSpy updated(&dave, &ChatSession::messageUpdated);
    QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
    carol.connection()->retryNow();
    dave.connection()->retryNow();
    QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 2, 20000);
    QCOMPARE(applied.at(0).at(0).value<OutboxEntry>().kind, OutboxKind::Edit);
    QCOMPARE(applied.at(1).at(0).value<OutboxEntry>().kind, OutboxKind::Delete);
    QCOMPARE(carol.pendingCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(Chat::Message::fromJson(cached(dave, room, 1)).text, QStringLiteral("fixed"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(Chat::Message::fromJson(cached(dave, room, 2)).deleted, 10000);

    // Once: exactly two new revs, and nothing sent again later.
    QTest::qWait(1500);
    QCOMPARE(applied.size(), 2);
    const Chat::UpdatesAnswer after = updates(carol, room, revBefore);
    QCOMPARE(after.lastRev, revBefore + 2);
    QCOMPARE(after.messages.size(), qsizetype(2));
}

void tst_ChatV2Client::readReachesTheUsersOtherSession()
{
    ChatSession phone, laptop, erin;
    QVERIFY(startSession(phone, QStringLiteral("v2-frank"), QStringLiteral("v2-frank-phone.db")));
    QVERIFY(startSession(laptop, QStringLiteral("v2-frank"), QStringLiteral("v2-frank-laptop.db"), false));
    QVERIFY(startSession(erin, QStringLiteral("v2-erin"), QStringLiteral("v2-erin.db")));
    const QString room = QStringLiteral("v2-reads");
    QVERIFY(createRoom(erin, phone, room));
    RoomListModel laptopRooms(&laptop);

    // The laptop is away while erin writes, once naming frank: room:list counts them.
    QTRY_VERIFY_WITH_TIMEOUT(laptop.isOnline(), 5000);
    laptop.disconnectFromServer();
    QSignalSpy phoneReceived(&phone, &ChatSession::messageReceived);
    for (const char *text : { "hello", "@v2-frank look", "third" })
        erin.sendMessage(room, QString::fromLatin1(text));
    QTRY_COMPARE_WITH_TIMEOUT(phoneReceived.size(), 3, 10000);
    QCOMPARE(Chat::Message::fromJson(phoneReceived.at(1).at(0).toJsonObject()).mentions,
             QStringList { QStringLiteral("v2-frank") });
    QSignalSpy synced(&laptop, &ChatSession::synced);
    laptop.connectToServer();
    QVERIFY(synced.wait(10000));
    QCOMPARE(laptop.roomCounts(room).unread, qint64(3));
    QCOMPARE(laptop.roomCounts(room).mentions, qint64(1));
    const int row = laptopRooms.rowOf(room);
    QVERIFY(row >= 0);
    QCOMPARE(laptopRooms.index(row).data(RoomListModel::UnreadCountRole).toInt(), 3);
    QCOMPARE(laptopRooms.index(row).data(RoomListModel::MentionCountRole).toInt(), 1);

    // Read on the phone: the laptop's badge clears.
    QSignalSpy read(&laptop, &ChatSession::readPositionChanged);
    phone.markRead(room, 3);
    QVERIFY(read.wait(10000));
    const auto event = read.last().at(0).value<Chat::ReadEvent>();
    QCOMPARE(event.room, room);
    QCOMPARE(event.readSeq, qint64(3));
    QCOMPARE(event.unread, qint64(0));
    QCOMPARE(event.mentions, qint64(0));
    QCOMPARE(laptop.readSeq(room), qint64(3));
    QCOMPARE(laptopRooms.index(row).data(RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(laptopRooms.index(row).data(RoomListModel::MentionCountRole).toInt(), 0);

    // Others see where frank is.
    std::optional<Chat::ReadsAnswer> reads;
    erin.fetchReads(room, [&reads](const Chat::Result<Chat::ReadsAnswer> &answer) {
        if (answer)
            reads = answer.value();
    });
    QTRY_VERIFY_WITH_TIMEOUT(reads.has_value(), 10000);
    QCOMPARE(reads->reads.value(QStringLiteral("v2-frank")), qint64(3));
}

// Read ticks come from the server's read positions, not only from receipts seen live: a
// device that was not there when the other read (here: a new one, empty cache) shows the
// messages read up to that position as read, and the rest not.
void tst_ChatV2Client::ownMessagesShowWhatOthersReadWhileAway()
{
    ChatSession phone, ivan;
    QVERIFY(startSession(phone, QStringLiteral("v2-grace"), QStringLiteral("v2-grace-phone.db")));
    QVERIFY(startSession(ivan, QStringLiteral("v2-ivan"), QStringLiteral("v2-ivan.db")));
    const QString room = QStringLiteral("v2-ticks");
    QVERIFY(createRoom(phone, ivan, room));
    QSignalSpy ivanReceived(&ivan, &ChatSession::messageReceived);
    phone.sendMessage(room, QStringLiteral("first"));
    phone.sendMessage(room, QStringLiteral("second"));
    QTRY_COMPARE_WITH_TIMEOUT(ivanReceived.size(), 2, 10000);
    ivan.markRead(room, 1);
    qint64 ivanRead = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            phone.fetchReads(room, [&ivanRead](const Chat::Result<Chat::ReadsAnswer> &answer) {
                if (answer)
                    ivanRead = answer->reads.value(QStringLiteral("v2-ivan"));
            });
            return ivanRead == 1;
        }(),
        10000);

    ChatSession laptop;
    QVERIFY(startSession(laptop, QStringLiteral("v2-grace"), QStringLiteral("v2-grace-laptop.db"), false));
    MessageModel messages(&laptop, room);
    QTRY_COMPARE_WITH_TIMEOUT(messages.storedCount(), 2, 10000);
    const auto stateOf = [&messages](qint64 seq) {
        return messages.index(messages.rowOfSeq(seq)).data(MessageModel::StateRole).value<MessageModel::State>();
    };
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(1), MessageModel::State::Read, 10000);
    QVERIFY(stateOf(2) != MessageModel::State::Read);
}

// searchMessages: online, the server's answer merged with the cache's (each message
// once); offline, the cache's own index, which follows edits as they arrive.
void tst_ChatV2Client::searchWorksOfflineFromTheCache()
{
    ChatSession kate, leo;
    QVERIFY(startSession(kate, QStringLiteral("v2-kate"), QStringLiteral("v2-kate.db")));
    QVERIFY(startSession(leo, QStringLiteral("v2-leo"), QStringLiteral("v2-leo.db")));
    const QString room = QStringLiteral("v2-search");
    QVERIFY(createRoom(kate, leo, room));
    QSignalSpy received(&leo, &ChatSession::messageReceived);
    for (const char *text : { "deploy the staging server", "staging looks fine", "lunch?" })
        kate.sendMessage(room, QString::fromLatin1(text));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 3, 10000);
    const auto search = [&leo](const QString &words) {
        std::optional<ChatSession::SearchResults> results;
        leo.searchMessages({ words, {}, {}, {} },
                           [&results](const ChatSession::SearchResults &found) { results = found; });
        (void)QTest::qWaitFor([&] { return results.has_value(); }, 10000);
        QList<qint64> seqs;
        for (const Chat::Message &message : results.value_or(ChatSession::SearchResults {}).messages)
            seqs.append(message.seq);
        return std::pair { seqs, results && results->serverAnswered };
    };
    QCOMPARE(search(QStringLiteral("stag")), std::pair(QList<qint64> { 2, 1 }, true));

    QSignalSpy updated(&leo, &ChatSession::messageUpdated);
    const QByteArray first = cached(leo, room, 1).value(QStringLiteral("id")).toString().toLatin1();
    kate.editMessage(room, first, QStringLiteral("deploy the canary"));
    QVERIFY(updated.wait(10000));
    leo.disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(!leo.isOnline(), 5000);
    QCOMPARE(search(QStringLiteral("staging")), std::pair(QList<qint64> { 2 }, false));
    QCOMPARE(search(QStringLiteral("canary deploy")), std::pair(QList<qint64> { 1 }, false));
    QCOMPARE(search(QStringLiteral("lunch")), std::pair(QList<qint64> { 3 }, false));
}

namespace {

QString writeRandomFile(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    for (qint64 written = 0; written < size; written += chunk.size()) {
        for (char &c : chunk)
            c = char(QRandomGenerator::global()->generate());
        file.write(chunk.constData(), std::min<qint64>(chunk.size(), size - written));
    }
    return path;
}

QByteArray sha256Of(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    return file.open(QIODevice::ReadOnly) && hash.addData(&file) ? hash.result().toHex() : QByteArray();
}

} // namespace

// An upload reports progress up to its size and answers the server's record; a cancelled
// one finishes once, as cancelled.
void tst_ChatV2Client::filesUploadWithProgressAndCancel()
{
    ChatSession mona;
    QVERIFY(startSession(mona, QStringLiteral("v2-mona"), QStringLiteral("v2-mona.db")));
    const qint64 size = 3 * 1024 * 1024;
    const QString path = writeRandomFile(m_dir.filePath(QStringLiteral("big.bin")), size);
    QVERIFY(!path.isEmpty());

    FileUpload *upload = mona.files()->upload(path);
    QSignalSpy progress(upload, &FileUpload::progress);
    std::optional<Chat::Result<UploadedFile>> result;
    connect(upload, &FileUpload::finished, this, [&](const Chat::Result<UploadedFile> &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
    QVERIFY2(result->isOk(), qPrintable(result->error().message));
    QCOMPARE(result->value().name, QStringLiteral("big.bin"));
    QCOMPARE(result->value().size, size);
    QCOMPARE(result->value().sha256, sha256Of(path));
    QVERIFY(!result->value().id.isEmpty());
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), size);
    QCOMPARE(progress.last().at(1).toLongLong(), size);

    FileUpload *cancelled = mona.files()->upload(path);
    QList<bool> finished; // isOk() of each finished
    connect(cancelled, &FileUpload::finished, this,
            [&finished](const Chat::Result<UploadedFile> &r) { finished.append(r.isOk()); });
    cancelled->cancel();
    QCOMPARE(finished, QList<bool> { false });
    QTest::qWait(0); // the upload's start, had cancel not stopped it, would run now
    QCOMPARE(finished, QList<bool> { false });
}

// A message with a file: the file is uploaded first (uploadProgress), the message then
// carries it; a member downloads it into the cache, and a second download is answered
// from there with the server stopped. A file that cannot be read fails its message.
void tst_ChatV2Client::attachmentsUploadBeforeTheMessageAndDownloadsAreCached()
{
    ChatSession nils, olga;
    QVERIFY(startSession(nils, QStringLiteral("v2-nils"), QStringLiteral("v2-nils.db")));
    QVERIFY(startSession(olga, QStringLiteral("v2-olga"), QStringLiteral("v2-olga.db")));
    const QString room = QStringLiteral("v2-files");
    QVERIFY(createRoom(nils, olga, room));
    const QString path = writeRandomFile(m_dir.filePath(QStringLiteral("photo.bin")), 500 * 1024);

    QSignalSpy uploading(&nils, &ChatSession::uploadProgress);
    QSignalSpy sent(&nils, &ChatSession::messageSent);
    QSignalSpy received(&olga, &ChatSession::messageReceived);
    const auto entry = nils.sendMessage(room, QStringLiteral("a photo"), nullptr, {}, { { path, {}, 640, 480 } });
    QVERIFY(entry);
    QVERIFY(sent.wait(20000));
    QVERIFY(!uploading.isEmpty());
    QCOMPARE(uploading.first().at(0).toString(), entry->clientId);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, 10000);
    const Chat::Message message = Chat::Message::fromJson(received.first().first().toJsonObject());
    QCOMPARE(message.attachments.size(), 1);
    const Chat::Attachment attachment = message.attachments.first();
    QCOMPARE(attachment.name, QStringLiteral("photo.bin"));
    QCOMPARE(attachment.size, 500 * 1024);
    QCOMPARE(attachment.width, 640);
    QVERIFY(nils.localStore()->outbox().isEmpty());

    const auto download = [&olga](const QByteArray &id) {
        std::optional<Chat::Result<DownloadedFile>> result;
        connect(olga.files()->download(id), &FileDownload::finished, &olga,
                [&result](const Chat::Result<DownloadedFile> &r) { result = r; });
        (void)QTest::qWaitFor([&] { return result.has_value(); }, 20000);
        return result.value_or(Chat::Error { Chat::ErrorCode::Internal, QStringLiteral("no answer") });
    };
    const auto first = download(attachment.id);
    QVERIFY2(first.isOk(), qPrintable(first.error().message));
    QCOMPARE(first->name, QStringLiteral("photo.bin"));
    QCOMPARE(sha256Of(first->path), sha256Of(path));
    m_server.suspend();
    const auto again = download(attachment.id);
    m_server.resume();
    QVERIFY(again.isOk());
    QCOMPARE(again->path, first->path);
    QCOMPARE(download("no-such-file").error().code, Chat::ErrorCode::NotFound);

    QSignalSpy failed(&nils, &ChatSession::messageFailed);
    const auto unreadable = nils.sendMessage(room, QStringLiteral("gone"), nullptr, {},
                                             { { m_dir.filePath(QStringLiteral("missing.bin")) } });
    QVERIFY(unreadable);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(), unreadable->clientId);
    QCOMPARE(failed.first().at(1).toString(), QStringLiteral("bad_request"));
}

// Running a room through the library: a private room's invitee finds it in the room list,
// a role change reaches every member's MemberModel (the `room` event), a kick takes the
// room out of the kicked user's list, and the directory lists public rooms only.
void tst_ChatV2Client::rolesInvitesAndKicksReachTheModels()
{
    ChatSession alice, bob;
    QVERIFY(startSession(alice, QStringLiteral("v2-owner"), QStringLiteral("v2-owner.db")));
    QVERIFY(startSession(bob, QStringLiteral("v2-guest"), QStringLiteral("v2-guest.db")));
    const QString room = QStringLiteral("v2-backstage");
    const auto created = await<Chat::RoomAnswer>([&](auto done) {
        alice.createRoom({ room, QStringLiteral("crew"), Chat::Visibility::Private }, done);
    });
    QVERIFY(created.isOk());
    QCOMPARE(created->room.visibility, Chat::Visibility::Private);
    QVERIFY(!await<Chat::JoinRoomAnswer>([&](auto done) { bob.joinRoom(room, done); }).isOk());

    RoomListModel bobsRooms(&bob);
    QVERIFY(await<Chat::Done>([&](auto done) { alice.inviteMember(room, bob.user(), done); }).isOk());
    QTRY_VERIFY_WITH_TIMEOUT(bobsRooms.rowOf(room) >= 0, 10000);

    MemberModel alicesView(&alice, room);
    MemberModel bobsView(&bob, room);
    alicesView.refresh();
    bobsView.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(bobsView.roleOf(alice.user()), QStringLiteral("owner"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(alicesView.roleOf(bob.user()), QStringLiteral("member"), 10000);
    QVERIFY(alicesView.canModerate());
    QVERIFY(!bobsView.canModerate());
    QCOMPARE(bobsView.visibility(), Chat::Visibility::Private);

    QSignalSpy rolesChanged(&bobsView, &MemberModel::rolesChanged);
    QVERIFY(await<Chat::Done>([&](auto done) {
                alice.setMemberRole({ room, bob.user(), Chat::RoomRole::Moderator }, done);
            }).isOk());
    QTRY_VERIFY_WITH_TIMEOUT(bobsView.canModerate(), 10000);
    QVERIFY(rolesChanged.size() >= 1);
    const auto retitled = await<Chat::RoomAnswer>([&](auto done) {
        bob.updateRoom({ room, QStringLiteral("stage") }, done);
    });
    QCOMPARE(retitled->room.topic, QStringLiteral("stage"));
    QTRY_COMPARE_WITH_TIMEOUT(alicesView.topic(), QStringLiteral("stage"), 10000);

    // A kick: the room leaves bob's list; the owner's member list loses him.
    QVERIFY(await<Chat::Done>([&](auto done) { alice.kickMember(room, bob.user(), done); }).isOk());
    QTRY_VERIFY_WITH_TIMEOUT(bobsRooms.rowOf(room) < 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(alicesView.roleOf(bob.user()).isEmpty(), 10000);

    QVERIFY(await<Chat::RoomAnswer>([&](auto done) {
                alice.createRoom({ QStringLiteral("v2-lobby"), QStringLiteral("all welcome") }, done);
            }).isOk());
    const auto listed = await<Chat::DirectoryAnswer>([&](auto done) {
        bob.fetchDirectory({ QStringLiteral("v2-"), {} }, done);
    });
    QVERIFY(listed.isOk());
    QStringList names;
    for (const Chat::DirectoryEntry &entry : listed->rooms)
        names.append(entry.name);
    QVERIFY2(names.contains(QStringLiteral("v2-lobby")) && !names.contains(room), qPrintable(names.join(u',')));
}

QTEST_GUILESS_MAIN(tst_ChatV2Client)
#include "tst_chatv2client.moc"
