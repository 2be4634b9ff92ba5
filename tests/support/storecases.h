// Behaviour every Chat::Store must have, shared by the SQLite and Redis store tests.
// Call from a test function; a failed check returns early and fails that test.
#pragma once

#include "chat/store.h"

#include <QTest>

#include <functional>

namespace Confab::StoreCases {

// Appends drafts of `text <clientId>` from alice to "room" and waits for every callback.
using AppendAll = std::function<QList<Chat::Store::AppendResult>(const QStringList &clientIds)>;

inline QList<qint64> seqs(const QList<Chat::Message> &messages)
{
    QList<qint64> out;
    for (const Chat::Message &m : messages)
        out.append(m.seq);
    return out;
}

// After 30 appends: every way of paging through history.
inline void historyPaging(Chat::Store *store, const AppendAll &appendAll)
{
    QStringList ids;
    for (int i = 1; i <= 30; ++i)
        ids.append(QString::number(i));
    appendAll(ids);
    const QString room = QStringLiteral("room");
    QCOMPARE(seqs(store->history(room, 0, std::nullopt, 3)), (QList<qint64> { 1, 2, 3 }));
    QCOMPARE(seqs(store->history(room, 28, std::nullopt, 10)), (QList<qint64> { 29, 30 }));
    QCOMPARE(seqs(store->history(room, std::nullopt, std::nullopt, 3)), (QList<qint64> { 28, 29, 30 }));
    QCOMPARE(seqs(store->history(room, std::nullopt, 10, 3)), (QList<qint64> { 7, 8, 9 }));
    QCOMPARE(seqs(store->history(room, 5, 9, 10)), (QList<qint64> { 6, 7, 8 }));
    QVERIFY(store->history(QStringLiteral("other"), 0, std::nullopt, 10).isEmpty());
    const Chat::Message first = store->history(room, 0, std::nullopt, 1).first();
    QCOMPARE(first.from, QStringLiteral("alice"));
    QCOMPARE(first.text, QStringLiteral("text 1"));
    QCOMPARE(first.clientId, QStringLiteral("1"));
    QVERIFY(first.ts > 0);
}

// With "room" created: members, rooms, users and their conflicts.
inline void accountsRoomsMembers(Chat::Store *store)
{
    const QString room = QStringLiteral("room");
    QVERIFY(store->addMember(room, QStringLiteral("alice")));
    QVERIFY(!store->addMember(room, QStringLiteral("alice")));
    QVERIFY(store->addMember(room, QStringLiteral("bob")));
    QCOMPARE(store->members(room), (QStringList { QStringLiteral("alice"), QStringLiteral("bob") }));
    QCOMPARE(store->memberCount(room), 2);
    QVERIFY(store->isMember(room, QStringLiteral("bob")));
    QCOMPARE(store->roomsOf(QStringLiteral("bob")).size(), 1);
    QCOMPARE(store->roomsOf(QStringLiteral("bob")).first().topic, QStringLiteral("topic"));
    QVERIFY(store->removeMember(room, QStringLiteral("bob")));
    QVERIFY(!store->isMember(room, QStringLiteral("bob")));
    QVERIFY(!store->createRoom({ room, QString(), false, 0 }));
    QVERIFY(!store->findRoom(QStringLiteral("nothere")));
    QVERIFY(store->createUser({ QStringLiteral("alice"), "hash", false, 1 }));
    QVERIFY(!store->createUser({ QStringLiteral("alice"), "other", false, 2 }));
    QCOMPARE(store->findUser(QStringLiteral("alice"))->passwordHash, QByteArray("hash"));
    QVERIFY(store->setUserDisabled(QStringLiteral("alice"), true));
    QVERIFY(store->findUser(QStringLiteral("alice"))->disabled);
    QVERIFY(!store->setUserDisabled(QStringLiteral("nobody"), true));
    QCOMPARE(store->users().size(), 1);
}

} // namespace Confab::StoreCases
