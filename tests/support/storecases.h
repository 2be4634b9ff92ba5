// Behaviour every Chat::Store must have, shared by the SQLite and Redis store tests.
// Call from a test function; a failed check returns early and fails that test.
#pragma once

#include "chat/store.h"

#include "chat/limits.h"

#include <QDateTime>
#include <QTest>
#include <QUuid>

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

// Protocol v2 part 2: visibility, roles (kept with the membership), bans, topics and the
// directory (public rooms only, matched on name or topic ignoring case, most members first).
inline void roomsAndRoles(Chat::Store *store)
{
    using Chat::RoomRole;
    const QString lobby = QStringLiteral("lobby"), ops = QStringLiteral("ops");
    QVERIFY(store->createRoom({ lobby, QStringLiteral("Welcome, Café regulars"), false, 0, 0 }));
    QVERIFY(store->createRoom({ ops, QStringLiteral("on call"), false, 0, 0, Chat::Visibility::Private }));
    QVERIFY(store->createRoom({ QStringLiteral("dm:alice:bob"), QString(), true, 0, 0 }));
    QCOMPARE(store->findRoom(lobby)->visibility, Chat::Visibility::Public);
    QCOMPARE(store->findRoom(ops)->visibility, Chat::Visibility::Private);
    QCOMPARE(store->findRoom(QStringLiteral("dm:alice:bob"))->visibility, Chat::Visibility::Private);
    QVERIFY(store->findRoom(lobby)->createdAt > 0);

    for (const char *user : { "alice", "bob", "carol" })
        QVERIFY(store->addMember(lobby, QString::fromLatin1(user)));
    QVERIFY(store->addMember(ops, QStringLiteral("alice")));
    QVERIFY(store->setRole(lobby, QStringLiteral("alice"), RoomRole::Owner));
    QVERIFY(store->setRole(lobby, QStringLiteral("bob"), RoomRole::Moderator));
    QVERIFY(!store->setRole(lobby, QStringLiteral("dave"), RoomRole::Moderator)); // not a member
    QCOMPARE(store->roleOf(lobby, QStringLiteral("alice")), RoomRole::Owner);
    QCOMPARE(store->roleOf(lobby, QStringLiteral("carol")), RoomRole::Member);
    QVERIFY(!store->roleOf(lobby, QStringLiteral("dave")));
    QCOMPARE(store->roles(lobby).size(), 2);
    QCOMPARE(store->roles(lobby).value(QStringLiteral("bob")), RoomRole::Moderator);

    // A new owner: the old one steps down to moderator in the same step; one owner.
    QVERIFY(store->setRole(lobby, QStringLiteral("carol"), RoomRole::Owner));
    QCOMPARE(store->roleOf(lobby, QStringLiteral("carol")), RoomRole::Owner);
    QCOMPARE(store->roleOf(lobby, QStringLiteral("alice")), RoomRole::Moderator);
    // Back to member, and a role leaves with the membership.
    QVERIFY(store->setRole(lobby, QStringLiteral("alice"), RoomRole::Member));
    QCOMPARE(store->roles(lobby).size(), 2); // carol owner, bob moderator
    QVERIFY(store->removeMember(lobby, QStringLiteral("bob")));
    QVERIFY(store->addMember(lobby, QStringLiteral("bob")));
    QCOMPARE(store->roleOf(lobby, QStringLiteral("bob")), RoomRole::Member);

    QVERIFY(!store->isBanned(lobby, QStringLiteral("mallory")));
    QVERIFY(store->setBanned(lobby, QStringLiteral("mallory"), true));
    QVERIFY(store->setBanned(lobby, QStringLiteral("mallory"), true)); // idempotent
    QVERIFY(store->isBanned(lobby, QStringLiteral("mallory")));
    QVERIFY(!store->isBanned(ops, QStringLiteral("mallory")));
    QVERIFY(store->setBanned(lobby, QStringLiteral("mallory"), false));
    QVERIFY(!store->isBanned(lobby, QStringLiteral("mallory")));

    QVERIFY(store->setTopic(ops, QStringLiteral("incidents")));
    QCOMPARE(store->findRoom(ops)->topic, QStringLiteral("incidents"));
    QVERIFY(!store->setTopic(QStringLiteral("nothere"), QStringLiteral("x")));
    QVERIFY(!store->findRoom(QStringLiteral("nothere")));

    // The directory: lobby (3 members) before a newer, smaller public room; never ops or a DM.
    QVERIFY(store->createRoom({ QStringLiteral("cafe-2"), QStringLiteral("overflow"), false, 0, 0 }));
    QVERIFY(store->addMember(QStringLiteral("cafe-2"), QStringLiteral("alice")));
    QList<Chat::DirectoryEntry> all = store->directory({}, 50);
    QStringList names;
    for (const Chat::DirectoryEntry &entry : all)
        names.append(entry.name);
    QVERIFY2(names.indexOf(lobby) >= 0 && names.indexOf(lobby) < names.indexOf(QStringLiteral("cafe-2")),
             qPrintable(names.join(u',')));
    QVERIFY(!names.contains(ops));
    QVERIFY(!names.contains(QStringLiteral("dm:alice:bob")));
    QCOMPARE(all.at(names.indexOf(lobby)).memberCount, 3);
    QCOMPARE(all.at(names.indexOf(lobby)).topic, QStringLiteral("Welcome, Café regulars"));
    QVERIFY(all.at(names.indexOf(lobby)).lastActivity > 0); // its creation, no message yet
    // Topic or name, any case (Unicode too); the limit cuts the list.
    const QList<Chat::DirectoryEntry> cafe = store->directory(QStringLiteral("CAFÉ"), 50);
    QCOMPARE(cafe.size(), 1);
    QCOMPARE(cafe.first().name, lobby);
    QCOMPARE(store->directory(QStringLiteral("cafe"), 50).size(), 1); // cafe-2 by name
    QCOMPARE(store->directory(QStringLiteral("incidents"), 50).size(), 0);
    QCOMPARE(store->directory({}, 1).size(), 1);
}

// Protocol v2: helpers that wait for the store's callback (5 s at most).

using Kind = Chat::Store::ChangeRequest::Kind;

// Appends `text` from `from` (a fresh clientId) and waits until it is durable.
inline std::optional<Chat::Message> send(Chat::Store *store, const QString &room, const QString &from,
                                         const QString &text, const QStringList &mentions = {},
                                         const QList<Chat::Attachment> &attachments = {})
{
    Chat::Message draft;
    draft.room = room;
    draft.from = from;
    draft.text = text;
    draft.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    draft.mentions = mentions;
    draft.attachments = attachments;
    std::optional<Chat::Message> result;
    bool done = false;
    store->append(draft, [&](const Chat::Store::AppendResult &r) {
        result = r.message;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        qWarning("the store did not call back"); // the caller's checks fail on the empty result
    return result;
}

inline Chat::Store::ChangeResult change(Chat::Store *store, const Chat::Store::ChangeRequest &request)
{
    Chat::Store::ChangeResult result;
    bool done = false;
    store->change(request, [&](const Chat::Store::ChangeResult &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        qWarning("the store did not call back"); // the caller's checks fail on the empty result
    return result;
}

inline Chat::Store::ChangeResult edit(Chat::Store *store, const Chat::Message &message, const QString &user,
                                      const QString &text, const QStringList &mentions = {})
{
    return change(store, { Kind::Edit, message.room, message.id, user, false, text, mentions });
}

inline Chat::Store::ChangeResult remove(Chat::Store *store, const Chat::Message &message, const QString &user,
                                        bool mayDeleteOthers = false)
{
    return change(store, { Kind::Delete, message.room, message.id, user, mayDeleteOthers });
}

inline Chat::Store::ChangeResult react(Chat::Store *store, const Chat::Message &message, const QString &user,
                                       const QString &emoji, bool on = true)
{
    return change(store, { Kind::React, message.room, message.id, user, false, {}, {}, emoji, on });
}

inline std::optional<Chat::ErrorCode> refusal(const Chat::Store::ChangeResult &result)
{
    return result.refusal ? std::optional(result.refusal->code) : std::nullopt;
}

inline QList<qint64> revs(const QList<Chat::Message> &messages)
{
    QList<qint64> out;
    for (const Chat::Message &m : messages)
        out.append(m.rev);
    return out;
}

// {readSeq, unread, mentions} of a user in a room, as room:list reads it.
inline QList<qint64> readState(Chat::Store *store, const QString &room, const QString &user)
{
    const Chat::Store::ReadState state = store->readStates(user).value(room);
    return { state.readSeq, state.unread, state.mentions };
}

inline QList<qint64> readState(const Chat::Store::ReadState &state)
{
    return { state.readSeq, state.unread, state.mentions };
}

inline void createRoom(Chat::Store *store, const QString &room, const QStringList &members)
{
    store->createRoom({ room, QStringLiteral("topic"), false, 0, 0 });
    for (const QString &user : members)
        store->addMember(room, user);
}

// Every change and new message takes the room's next rev, without gaps; refusals and
// changes that change nothing take none; updates() lists each message once.
inline void revisionsAndChanges(Chat::Store *store)
{
    const QString room = QStringLiteral("v2-revs");
    const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob");
    createRoom(store, room, { alice, bob });
    const auto m1 = send(store, room, alice, QStringLiteral("one"));
    const auto m2 = send(store, room, alice, QStringLiteral("two"));
    const auto m3 = send(store, room, alice, QStringLiteral("three"));
    QVERIFY(m1 && m2 && m3);
    QCOMPARE(revs({ *m1, *m2, *m3 }), (QList<qint64> { 1, 2, 3 }));
    QCOMPARE(store->lastRev(room), 3);

    auto result = edit(store, *m1, alice, QStringLiteral("one, edited"));
    QVERIFY(result.changed);
    QCOMPARE(result.message->rev, 4);
    QCOMPARE(result.message->text, QStringLiteral("one, edited"));
    QVERIFY(result.message->editedAt > 0);
    QCOMPARE(refusal(edit(store, *m1, bob, QStringLiteral("not mine"))), Chat::ErrorCode::Forbidden);
    result = edit(store, *m1, alice, QStringLiteral("one, edited")); // the same text: nothing to do
    QVERIFY(!result.changed && !result.refusal);
    QCOMPARE(result.message->rev, 4);

    QCOMPARE(react(store, *m2, bob, QStringLiteral("👍")).message->rev, 5);
    result = react(store, *m2, bob, QStringLiteral("👍")); // already there
    QVERIFY(!result.changed);
    QCOMPARE(result.message->rev, 5);
    QCOMPARE(react(store, *m2, alice, QStringLiteral("👍")).message->rev, 6);
    result = react(store, *m2, bob, QStringLiteral("👍"), false);
    QCOMPARE(result.message->rev, 7);
    QCOMPARE(result.message->reactions.size(), 1);
    QCOMPARE(result.message->reactions[0].count, 1);
    QCOMPARE(result.message->reactions[0].users, QStringList { alice });
    QVERIFY(!react(store, *m2, bob, QStringLiteral("👍"), false).changed); // not there

    QCOMPARE(refusal(remove(store, *m3, bob)), Chat::ErrorCode::Forbidden);
    result = remove(store, *m3, alice);
    QCOMPARE(result.message->rev, 8);
    QVERIFY(result.message->deleted);
    QVERIFY(result.message->text.isEmpty());
    result = remove(store, *m3, alice); // idempotent
    QVERIFY(!result.changed && !result.refusal);
    QCOMPARE(result.message->rev, 8);
    QCOMPARE(refusal(edit(store, *m3, alice, QStringLiteral("back"))), Chat::ErrorCode::Conflict);
    Chat::Message unknown = *m3;
    unknown.id = "nosuchid";
    QCOMPARE(refusal(remove(store, unknown, alice)), Chat::ErrorCode::NotFound);
    QCOMPARE(remove(store, *m2, bob, true).message->rev, 9); // a moderator
    const auto m4 = send(store, room, bob, QStringLiteral("four"));
    QCOMPARE(m4->rev, 10);
    QCOMPARE(store->lastRev(room), 10);
    QCOMPARE(store->findRoom(room)->lastRev, 10);

    const QList<Chat::Message> updates = store->updates(room, 0, 100);
    QCOMPARE(seqs(updates), (QList<qint64> { 1, 3, 2, 4 }));
    QCOMPARE(revs(updates), (QList<qint64> { 4, 8, 9, 10 }));
    QCOMPARE(seqs(store->updates(room, 8, 1)), QList<qint64> { 2 });
    QVERIFY(updates[2].deleted && updates[2].reactions.isEmpty() && updates[2].text.isEmpty());
    QCOMPARE(revs(store->history(room, 0, std::nullopt, 10)), (QList<qint64> { 4, 9, 8, 10 }));
    QCOMPARE(store->findMessage(room, m1->id)->text, QStringLiteral("one, edited"));
    QVERIFY(!store->findMessage(QStringLiteral("other"), m1->id));
}

// Reactions: at most MaxDistinctReactions emoji; users listed up to a limit, count exact;
// replyTo and mentions kept.
inline void reactionsAndReplies(Chat::Store *store)
{
    const QString room = QStringLiteral("v2-reactions");
    createRoom(store, room, { QStringLiteral("alice") });
    const auto target = send(store, room, QStringLiteral("alice"), QStringLiteral("react to me"));
    QVERIFY(target);
    for (int i = 0; i < Chat::MaxDistinctReactions; ++i)
        QVERIFY(react(store, *target, QStringLiteral("alice"), QStringLiteral("e%1").arg(i)).changed);
    QCOMPARE(refusal(react(store, *target, QStringLiteral("alice"), QStringLiteral("one-too-many"))),
             Chat::ErrorCode::TooLarge);
    const int users = Chat::MaxReactionUsersListed + 5;
    for (int i = 0; i < users; ++i)
        QVERIFY(react(store, *target, QStringLiteral("u%1").arg(i), QStringLiteral("e0")).changed);
    const Chat::Message found = *store->findMessage(room, target->id);
    QCOMPARE(found.reactions.size(), Chat::MaxDistinctReactions);
    QCOMPARE(found.reactions[0].emoji, QStringLiteral("e0"));
    QCOMPARE(found.reactions[0].count, users + 1);
    QCOMPARE(found.reactions[0].users.size(), Chat::MaxReactionUsersListed);
    QCOMPARE(found.reactions[0].users[1], QStringLiteral("u0")); // first reaction first
    QCOMPARE(found.rev, 1 + Chat::MaxDistinctReactions + users);

    Chat::Message reply;
    reply.room = room;
    reply.from = QStringLiteral("alice");
    reply.text = QStringLiteral("@alice yes");
    reply.clientId = QUuid::createUuid().toString();
    reply.mentions = { QStringLiteral("alice") };
    reply.replyTo = Chat::ReplyQuote { target->id, target->seq, target->from, target->text };
    bool done = false;
    store->append(reply, [&done](const Chat::Store::AppendResult &) { done = true; });
    QVERIFY(QTest::qWaitFor([&] { return done; }, 5000));
    const Chat::Message last = store->history(room, std::nullopt, std::nullopt, 1).first();
    QCOMPARE(last.replyTo->id, target->id);
    QCOMPARE(last.replyTo->text, QStringLiteral("react to me"));
    QCOMPARE(last.mentions, QStringList { QStringLiteral("alice") });
}

// unread and mentions stay exact through appends, deletes before and after the read
// position, edits that change mentions, and read moves.
inline void unreadAndMentions(Chat::Store *store)
{
    const QString room = QStringLiteral("v2-counts");
    const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob"), carol = QStringLiteral("carol");
    createRoom(store, room, { alice, bob, carol });
    const auto a1 = send(store, room, alice, QStringLiteral("hi"));
    const auto a2 = send(store, room, alice, QStringLiteral("@bob look"), { bob });
    const auto b3 = send(store, room, bob, QStringLiteral("@alice @bob"), { alice, bob }); // self: not counted
    const auto c4 = send(store, room, carol, QStringLiteral("x"));
    QVERIFY(a1 && a2 && b3 && c4);
    QCOMPARE(readState(store, room, bob), (QList<qint64> { 0, 3, 1 }));
    QCOMPARE(readState(store, room, alice), (QList<qint64> { 0, 2, 1 }));
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 0, 3, 0 }));

    QCOMPARE(readState(store->setReadPosition(room, bob, 2)), (QList<qint64> { 2, 1, 0 }));
    QCOMPARE(readState(store->setReadPosition(room, alice, 3)), (QList<qint64> { 3, 1, 0 }));
    QCOMPARE(readState(store->setReadPosition(room, bob, 1)), (QList<qint64> { 2, 1, 0 })); // never back
    QCOMPARE(store->setReadPosition(room, bob, 0).countedUpTo, 4); // what the counts cover (ReadOrder)

    QVERIFY(remove(store, *a1, alice).changed); // before bob's and alice's positions
    QCOMPARE(readState(store, room, bob), (QList<qint64> { 2, 1, 0 }));
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 0, 2, 0 }));
    QVERIFY(remove(store, *c4, carol).changed); // after them
    QCOMPARE(readState(store, room, bob), (QList<qint64> { 2, 0, 0 }));
    QCOMPARE(readState(store, room, alice), (QList<qint64> { 3, 0, 0 }));
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 0, 2, 0 }));

    QVERIFY(edit(store, *a2, alice, QStringLiteral("@carol look"), { carol }).changed); // bob had read it
    QCOMPARE(readState(store, room, bob), (QList<qint64> { 2, 0, 0 }));
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 0, 2, 1 }));
    QVERIFY(edit(store, *b3, bob, QStringLiteral("@carol"), { carol }).changed);
    QCOMPARE(readState(store, room, alice), (QList<qint64> { 3, 0, 0 }));
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 0, 2, 2 }));
    QVERIFY(edit(store, *b3, bob, QStringLiteral("nobody"), {}).changed);
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 0, 2, 1 }));

    QCOMPARE(readState(store->setReadPosition(room, carol, 3)), (QList<qint64> { 3, 0, 0 }));
    const auto a5 = send(store, room, alice, QStringLiteral("@carol @bob"), { carol, bob });
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 3, 1, 1 }));
    QCOMPARE(readState(store, room, bob), (QList<qint64> { 2, 1, 1 }));
    QCOMPARE(readState(store, room, alice), (QList<qint64> { 3, 0, 0 }));
    QVERIFY(remove(store, *a5, alice).changed);
    QCOMPARE(readState(store, room, carol), (QList<qint64> { 3, 0, 0 }));
    QCOMPARE(readState(store, room, bob), (QList<qint64> { 2, 0, 0 }));
    QVERIFY(store->readStates(carol).contains(room));
}

// room:reads: the most recent readers first; a position past the last seq is clamped.
inline void readPositions(Chat::Store *store)
{
    const QString room = QStringLiteral("v2-reads");
    const QStringList users { QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol") };
    createRoom(store, room, users + QStringList { QStringLiteral("dave") });
    for (int i = 0; i < 3; ++i)
        QVERIFY(send(store, room, QStringLiteral("dave"), QString::number(i)));
    store->setReadPosition(room, users[0], 1);
    store->setReadPosition(room, users[1], 2);
    store->setReadPosition(room, users[2], 100); // past the end: taken as 3
    QCOMPARE(store->readPositions(room, 10),
             (QMap<QString, qint64> { { users[0], 1 }, { users[1], 2 }, { users[2], 3 } }));
    QCOMPARE(store->readPositions(room, 2), (QMap<QString, qint64> { { users[1], 2 }, { users[2], 3 } }));
    store->setReadPosition(room, users[0], 3); // alice is now the most recent
    QCOMPARE(store->readPositions(room, 1), (QMap<QString, qint64> { { users[0], 3 } }));
}

// Files: records found by id; the quota counts each content once per uploader; a file
// may be read by members of a room where a message that is not deleted carries it, and
// by nobody else through the store (the uploader is the handler's check).
inline void files(Chat::Store *store)
{
    const QString alice = QStringLiteral("files-alice"), bob = QStringLiteral("files-bob"),
                  carol = QStringLiteral("files-carol");
    auto record = [&](const char *id, const char *sha, qint64 size) {
        return Chat::FileRecord {
            id,  QByteArray(sha).repeated(64 / qstrlen(sha)), QStringLiteral("notes.txt"), "text/plain", size, alice,
            1000
        };
    };
    QVERIFY(store->addFile(record("f-one", "a", 100)));
    QVERIFY(store->addFile(record("f-same", "a", 100))); // the same bytes again
    QVERIFY(store->addFile(record("f-two", "b", 40)));
    QCOMPARE(store->fileUsage(alice), qint64(140));
    QCOMPARE(store->fileUsage(bob), qint64(0));
    const auto found = store->findFile("f-two");
    QVERIFY(found);
    QCOMPARE(found->sha256, QByteArray("b").repeated(64));
    QCOMPARE(found->name, QStringLiteral("notes.txt"));
    QCOMPARE(found->type, QByteArray("text/plain"));
    QCOMPARE(found->size, qint64(40));
    QCOMPARE(found->uploader, alice);
    QCOMPARE(found->createdAt, qint64(1000));
    QVERIFY(!store->findFile("f-none"));

    const QString room = QStringLiteral("v2-files");
    createRoom(store, room, { alice, bob });
    createRoom(store, QStringLiteral("v2-files-other"), { carol });
    QVERIFY(!store->mayAccessFile(bob, "f-one")); // not in any message yet
    Chat::Attachment attachment;
    attachment.id = "f-one";
    attachment.name = QStringLiteral("notes.txt");
    attachment.size = 100;
    attachment.type = "text/plain";
    const auto sent = send(store, room, alice, QString(), {}, { attachment });
    QVERIFY(sent);
    QCOMPARE(sent->attachments.size(), 1);
    QCOMPARE(store->findMessage(room, sent->id)->attachments.first().id, QByteArray("f-one"));
    QVERIFY(store->mayAccessFile(bob, "f-one"));
    QVERIFY(!store->mayAccessFile(carol, "f-one")); // not a member
    QVERIFY(!store->mayAccessFile(bob, "f-same"));  // the same bytes, another upload
    QVERIFY(remove(store, *sent, alice).changed);
    QVERIFY(!store->mayAccessFile(bob, "f-one")); // its message deleted
    QVERIFY(store->findMessage(room, sent->id)->attachments.isEmpty());

    // Garbage collection: a file a live message carries stays, and so does one too young.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(store->addFile(
        { "f-live", QByteArray("d").repeated(64), QStringLiteral("live.txt"), "text/plain", 7, bob, 1000 }));
    QVERIFY(store->addFile(
        { "f-young", QByteArray("e").repeated(64), QStringLiteral("young.txt"), "text/plain", 9, bob, now }));
    attachment.id = "f-live";
    QVERIFY(send(store, room, bob, QString(), {}, { attachment }));
    QCOMPARE(store->fileTotals(10)->records, qint64(5));
    const auto collected = store->collectFiles(now, now, 100); // created before now; unsent ones too
    QVERIFY(collected);
    QCOMPARE(collected->records, 3); // f-one (deleted message), f-same and f-two (never sent)
    QList<QByteArray> freed = collected->freedContents;
    std::sort(freed.begin(), freed.end());
    QCOMPARE(freed, (QList<QByteArray> { QByteArray("a").repeated(64), QByteArray("b").repeated(64) }));
    QVERIFY(!store->findFile("f-one") && !store->findFile("f-same") && !store->findFile("f-two"));
    QVERIFY(store->findFile("f-live") && store->findFile("f-young"));
    QCOMPARE(store->fileUsage(alice), qint64(0));
    QCOMPARE(store->fileUsage(bob), qint64(16));
    const auto totals = store->fileTotals(10);
    QVERIFY(totals);
    QCOMPARE(totals->records, qint64(2));
    QCOMPARE(totals->contents, qint64(2));
    QCOMPARE(totals->bytes, qint64(16));
    QCOMPARE(totals->topUsers, (QList<QPair<QString, qint64>> { { bob, 16 } }));
    QCOMPARE(store->collectFiles(now, now, 100)->records, 0);
}

} // namespace Confab::StoreCases
