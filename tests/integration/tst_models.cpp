// The client library's models, each wrapped in QAbstractItemModelTester, driven by two
// ChatSessions against a real confabd: message states, unread counts, presence.
#include "chatsession.h"
#include "confabdprocess.h"
#include "membermodel.h"
#include "messagemodel.h"
#include "roomlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab::Client;
using Confab::Testing::ConfabdProcess;

class tst_Models : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void messageStatesUnreadAndPresence();

private:
    bool startSession(ChatSession &session, const QString &user);
    QJsonObject call(ChatSession &session, const QString &event, const QJsonObject &payload);

    ConfabdProcess m_server;
    QTemporaryDir m_dir;
};

void tst_Models::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
}

bool tst_Models::startSession(ChatSession &session, const QString &user)
{
    QString error;
    if (!session.openLocalStore(m_dir.filePath(user + QLatin1String(".db")), &error))
        return false;
    session.setServerUrl(m_server.url());
    QSignalSpy synced(&session, &ChatSession::synced);
    connect(&session, &ChatSession::loggedIn, &session, &ChatSession::connectToServer);
    session.registerAccount(user, QStringLiteral("model-password"));
    return synced.wait(10000);
}

QJsonObject tst_Models::call(ChatSession &session, const QString &event, const QJsonObject &payload)
{
    QJsonObject answer;
    session.request(event, payload, [&answer](const QJsonObject &reply) { answer = reply; });
    if (!QTest::qWaitFor([&] { return !answer.isEmpty(); }, 10000))
        return { { QStringLiteral("ok"), false } };
    return answer;
}

void tst_Models::messageStatesUnreadAndPresence()
{
    ChatSession alice, bob;
    QVERIFY(startSession(alice, QStringLiteral("model-alice")));
    QVERIFY(startSession(bob, QStringLiteral("model-bob")));
    const QString room = QStringLiteral("models");

    RoomListModel rooms(&alice);
    MessageModel messages(&alice, room);
    MemberModel members(&alice, room);
    QAbstractItemModelTester roomsTester(&rooms, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester messagesTester(&messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester membersTester(&members, QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QJsonObject created = call(alice, QStringLiteral("room:create"), { { QStringLiteral("room"), room } });
    QVERIFY(created.value(QStringLiteral("ok")).toBool());
    members.setMembers(Confab::Chat::RoomAnswer::fromJson(created).room.members);
    QVERIFY(call(bob, QStringLiteral("room:join"), { { QStringLiteral("room"), room } })
                .value(QStringLiteral("ok"))
                .toBool());
    QTRY_COMPARE_WITH_TIMEOUT(members.rowCount(), 2, 5000); // bob's member event

    // Written: pending at once; acked: sent; bob's client confirms it: delivered; bob reads it: read.
    alice.sendMessage(room, QStringLiteral("hello bob"));
    QCOMPARE(messages.rowCount(), 1);
    auto state = [&messages] { return messages.index(0).data(MessageModel::StateRole).value<MessageModel::State>(); };
    QCOMPARE(state(), MessageModel::State::Pending);
    QTRY_VERIFY_WITH_TIMEOUT(state() == MessageModel::State::Sent || state() == MessageModel::State::Delivered, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(state(), MessageModel::State::Delivered, 5000);
    QCOMPARE(messages.rowCount(), 1); // the pending row became the stored one, not a second row
    QCOMPARE(messages.index(0).data(MessageModel::SeqRole).toLongLong(), 1);
    QVERIFY(call(bob, QStringLiteral("receipt"),
                 { { QStringLiteral("room"), room },
                   { QStringLiteral("seq"), 1 },
                   { QStringLiteral("kind"), QStringLiteral("read") } })
                .value(QStringLiteral("ok"))
                .toBool());
    QTRY_COMPARE_WITH_TIMEOUT(messages.index(0).data(MessageModel::StateRole).value<MessageModel::State>(),
                              MessageModel::State::Read, 5000);

    // Bob writes twice: alice's room list counts them until she looks at the room.
    QSignalSpy unread(&rooms, &RoomListModel::unreadTotalChanged);
    bob.sendMessage(room, QStringLiteral("one"));
    bob.sendMessage(room, QStringLiteral("two"));
    QTRY_COMPARE_WITH_TIMEOUT(rooms.unreadTotal(), 2, 5000);
    const QModelIndex roomRow = rooms.index(0);
    QCOMPARE(roomRow.data(RoomListModel::NameRole).toString(), room);
    QCOMPARE(roomRow.data(RoomListModel::LastMessageRole).toString(), QStringLiteral("two"));
    rooms.setCurrentRoom(room);
    QCOMPARE(rooms.unreadTotal(), 0);
    QTRY_COMPARE(messages.rowCount(), 3); // shown in batches, a fraction of a second apart
    QCOMPARE(messages.index(2).data(MessageModel::TextRole).toString(), QStringLiteral("two"));

    // A refusal that retrying cannot fix: failed.
    MessageModel elsewhere(&alice, QStringLiteral("not-my-room"));
    QAbstractItemModelTester elsewhereTester(&elsewhere, QAbstractItemModelTester::FailureReportingMode::QtTest);
    alice.sendMessage(QStringLiteral("not-my-room"), QStringLiteral("hello?"));
    QTRY_COMPARE_WITH_TIMEOUT(elsewhere.index(0).data(MessageModel::StateRole).value<MessageModel::State>(),
                              MessageModel::State::Failed, 5000);

    // Bob leaves: his dot goes offline in alice's member list.
    const auto bobRow = [&members] {
        for (int row = 0; row < members.rowCount(); ++row) {
            if (members.index(row).data(MemberModel::UserRole).toString() == QLatin1String("model-bob"))
                return row;
        }
        return -1;
    };
    QVERIFY(bobRow() >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(members.index(bobRow()).data(MemberModel::StatusRole).toString(),
                              QStringLiteral("online"), 5000);
    bob.disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(members.index(bobRow()).data(MemberModel::StatusRole).toString(),
                              QStringLiteral("offline"), 10000);
    QVERIFY(members.index(bobRow()).data(MemberModel::LastSeenRole).toLongLong() > 0);
}

QTEST_GUILESS_MAIN(tst_Models)
#include "tst_models.moc"
