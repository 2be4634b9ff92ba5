// The chat protocol's types (common/chat): wire names both ways, requests refused with
// the right code, values and answers that survive toJson/fromJson unchanged.
#include "chat/events.h"
#include "chat/limits.h"
#include "chat/requests.h"
#include "chat/roomrequests.h"
#include "chat/validation.h"
#include "util/ids.h"

#include <QJsonArray>
#include <QTest>

using namespace Confab::Chat;
using namespace Qt::Literals::StringLiterals;

class tst_ChatProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errorNames();
    void answers();
    void requestsRefused_data();
    void requestsRefused();
    void requestsRoundTrip();
    void historyBounds();
    void valuesRoundTrip();
    void messageV2();
    void changesRefused_data();
    void changesRefused();
    void emoji_data();
    void emoji();
    void mentions_data();
    void mentions();
    void idsAreNeverOptions();
};

void tst_ChatProtocol::errorNames()
{
    const QStringList names { u"bad_request"_s, u"unauthorized"_s, u"forbidden"_s,   u"not_found"_s, u"conflict"_s,
                              u"too_large"_s,   u"rate_limited"_s, u"unavailable"_s, u"internal"_s };
    for (const QString &name : names)
        QCOMPARE(errorCodeName(errorCodeFromName(name)), name);
    QCOMPARE(errorCodeFromName(u"no_such_code"), ErrorCode::Internal);
    QVERIFY((Error { ErrorCode::Forbidden, {} }.isPermanent()));
    QVERIFY(!(Error { ErrorCode::Unavailable, {} }.isPermanent()));
    QVERIFY(!(Error { ErrorCode::RateLimited, {} }.isPermanent()));
}

void tst_ChatProtocol::answers()
{
    const QJsonObject ok = okAnswer(SendMessageAnswer { QByteArrayLiteral("m1"), 7, 1000 }.toJson());
    QCOMPARE(ok.value(u"ok"_s).toBool(), true);
    const Result<SendMessageAnswer> sent = readAnswer<SendMessageAnswer>(ok);
    QVERIFY(sent);
    QCOMPARE(sent->id, QByteArrayLiteral("m1"));
    QCOMPARE(sent->seq, 7);

    const QJsonObject refused = errorAnswer({ ErrorCode::NotFound, QStringLiteral("no such room") });
    QCOMPARE(refused.value(u"error"_s).toObject().value(u"code"_s).toString(), QStringLiteral("not_found"));
    const Result<Done> result = readAnswer<Done>(refused);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::NotFound);
    QCOMPARE(result.error().message, QStringLiteral("no such room"));
    // No answer at all (a timeout) reads as an error, never as ok.
    QVERIFY(!readAnswer<Done>({}));
}

void tst_ChatProtocol::requestsRefused_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");
    const QString longText(MaxTextLength + 1, QLatin1Char('x'));
    const QString longTopic(MaxTopicLength + 1, QLatin1Char('t'));
    QTest::newRow("create: bad name") << Event::RoomCreate << QJsonObject { { u"room"_s, u"Bad Name"_s } }
                                      << ErrorCode::BadRequest << QString::fromLatin1(RoomNamePattern);
    QTest::newRow("create: dm name") << Event::RoomCreate << QJsonObject { { u"room"_s, u"dm:a1:b1"_s } }
                                     << ErrorCode::BadRequest << QString();
    QTest::newRow("create: topic type") << Event::RoomCreate
                                        << QJsonObject { { u"room"_s, u"ok"_s }, { u"topic"_s, 5 } }
                                        << ErrorCode::BadRequest << QStringLiteral("topic");
    QTest::newRow("create: topic long") << Event::RoomCreate
                                        << QJsonObject { { u"room"_s, u"ok"_s }, { u"topic"_s, longTopic } }
                                        << ErrorCode::TooLarge << QString::number(MaxTopicLength);
    QTest::newRow("join: missing room") << Event::RoomJoin << QJsonObject {} << ErrorCode::BadRequest << QString();
    QTest::newRow("dm: bad user") << Event::DirectOpen << QJsonObject { { u"user"_s, u"A"_s } } << ErrorCode::BadRequest
                                  << QString::fromLatin1(UsernamePattern);
    QTest::newRow("send: no clientId") << Event::MessageSend
                                       << QJsonObject { { u"room"_s, u"r"_s }, { u"text"_s, u"hi"_s } }
                                       << ErrorCode::BadRequest << QString::number(MaxClientIdLength);
    QTest::newRow("send: text type") << Event::MessageSend
                                     << QJsonObject { { u"room"_s, u"r"_s },
                                                      { u"clientId"_s, u"c"_s },
                                                      { u"text"_s, 1 } }
                                     << ErrorCode::BadRequest << QStringLiteral("string");
    QTest::newRow("send: empty text") << Event::MessageSend
                                      << QJsonObject { { u"room"_s, u"r"_s },
                                                       { u"clientId"_s, u"c"_s },
                                                       { u"text"_s, u""_s } }
                                      << ErrorCode::BadRequest << QString::number(MaxTextLength);
    QTest::newRow("send: long text") << Event::MessageSend
                                     << QJsonObject { { u"room"_s, u"r"_s },
                                                      { u"clientId"_s, u"c"_s },
                                                      { u"text"_s, longText } }
                                     << ErrorCode::TooLarge << QString::number(MaxTextLength);
    QTest::newRow("send: bad room") << Event::MessageSend
                                    << QJsonObject { { u"room"_s, u"#r"_s },
                                                     { u"clientId"_s, u"c"_s },
                                                     { u"text"_s, u"hi"_s } }
                                    << ErrorCode::BadRequest << QString();
    QTest::newRow("history: limit") << Event::HistoryFetch
                                    << QJsonObject { { u"room"_s, u"r"_s }, { u"limit"_s, MaxHistoryLimit + 1 } }
                                    << ErrorCode::BadRequest << QString::number(MaxHistoryLimit);
    QTest::newRow("history: negative") << Event::HistoryFetch
                                       << QJsonObject { { u"room"_s, u"r"_s }, { u"afterSeq"_s, -1 } }
                                       << ErrorCode::BadRequest << QString();
    QTest::newRow("history: fraction") << Event::HistoryFetch
                                       << QJsonObject { { u"room"_s, u"r"_s }, { u"beforeSeq"_s, 1.5 } }
                                       << ErrorCode::BadRequest << QString();
    QTest::newRow("receipt: kind") << Event::Receipt
                                   << QJsonObject { { u"room"_s, u"r"_s }, { u"seq"_s, 1 }, { u"kind"_s, u"seen"_s } }
                                   << ErrorCode::BadRequest << QStringLiteral("kind");
    QTest::newRow("receipt: seq 0") << Event::Receipt
                                    << QJsonObject { { u"room"_s, u"r"_s }, { u"seq"_s, 0 }, { u"kind"_s, u"read"_s } }
                                    << ErrorCode::BadRequest << QStringLiteral("seq");
    QTest::newRow("typing: active") << Event::Typing << QJsonObject { { u"room"_s, u"r"_s }, { u"active"_s, u"yes"_s } }
                                    << ErrorCode::BadRequest << QStringLiteral("boolean");
    QTest::newRow("presence: offline") << Event::PresenceSet << QJsonObject { { u"status"_s, u"offline"_s } }
                                       << ErrorCode::BadRequest << QStringLiteral("away");
    QTest::newRow("presence: users") << Event::PresenceGet << QJsonObject { { u"users"_s, u"alice"_s } }
                                     << ErrorCode::BadRequest << QStringLiteral("array");
    QTest::newRow("presence: a bad user")
        << Event::PresenceGet << QJsonObject { { u"users"_s, QJsonArray { u"alice"_s, 5 } } } << ErrorCode::BadRequest
        << QString();
    QTest::newRow("create: visibility") << Event::RoomCreate
                                        << QJsonObject { { u"room"_s, u"ok"_s }, { u"visibility"_s, u"secret"_s } }
                                        << ErrorCode::BadRequest << QStringLiteral("private");
    QTest::newRow("update: no topic") << Event::RoomUpdate << QJsonObject { { u"room"_s, u"r"_s } }
                                      << ErrorCode::BadRequest << QStringLiteral("topic");
    QTest::newRow("update: topic long") << Event::RoomUpdate
                                        << QJsonObject { { u"room"_s, u"r"_s }, { u"topic"_s, longTopic } }
                                        << ErrorCode::TooLarge << QString::number(MaxTopicLength);
    QTest::newRow("invite: bad user") << Event::RoomInvite
                                      << QJsonObject { { u"room"_s, u"r"_s }, { u"user"_s, u"Bob!"_s } }
                                      << ErrorCode::BadRequest << QString::fromLatin1(UsernamePattern);
    QTest::newRow("kick: no room") << Event::RoomKick << QJsonObject { { u"user"_s, u"bob"_s } }
                                   << ErrorCode::BadRequest << QString();
    QTest::newRow("ban: on missing") << Event::RoomBan << QJsonObject { { u"room"_s, u"r"_s }, { u"user"_s, u"bob"_s } }
                                     << ErrorCode::BadRequest << QStringLiteral("on");
    QTest::newRow("role: owner") << Event::RoomRole
                                 << QJsonObject { { u"room"_s, u"r"_s },
                                                  { u"user"_s, u"bob"_s },
                                                  { u"role"_s, u"owner"_s } }
                                 << ErrorCode::BadRequest << QStringLiteral("moderator");
    QTest::newRow("directory: limit") << Event::RoomDirectory << QJsonObject { { u"limit"_s, MaxDirectoryLimit + 1 } }
                                      << ErrorCode::BadRequest << QString::number(MaxDirectoryLimit);
    QTest::newRow("directory: query type") << Event::RoomDirectory << QJsonObject { { u"query"_s, 3 } }
                                           << ErrorCode::BadRequest << QStringLiteral("query");
}

// The request type that reads each event's payload, as the server reads it.
static std::optional<Error> refusal(const QString &event, const QJsonObject &payload)
{
    auto check = [](const auto &result) -> std::optional<Error> {
        return result ? std::nullopt : std::optional(result.error());
    };
    if (event == Event::RoomCreate)
        return check(CreateRoomRequest::fromJson(payload));
    if (event == Event::RoomJoin || event == Event::RoomLeave)
        return check(RoomRequest::fromJson(payload));
    if (event == Event::DirectOpen)
        return check(OpenDirectRequest::fromJson(payload));
    if (event == Event::MessageSend)
        return check(SendMessageRequest::fromJson(payload));
    if (event == Event::HistoryFetch)
        return check(HistoryRequest::fromJson(payload));
    if (event == Event::Receipt)
        return check(ReceiptRequest::fromJson(payload));
    if (event == Event::Typing)
        return check(TypingRequest::fromJson(payload));
    if (event == Event::PresenceSet)
        return check(SetPresenceRequest::fromJson(payload));
    if (event == Event::PresenceGet)
        return check(GetPresenceRequest::fromJson(payload));
    if (event == Event::RoomUpdate)
        return check(UpdateRoomRequest::fromJson(payload));
    if (event == Event::RoomInvite || event == Event::RoomKick)
        return check(RoomUserRequest::fromJson(payload));
    if (event == Event::RoomBan)
        return check(BanRequest::fromJson(payload));
    if (event == Event::RoomRole)
        return check(RoleRequest::fromJson(payload));
    if (event == Event::RoomDirectory)
        return check(DirectoryRequest::fromJson(payload));
    return Error { ErrorCode::Internal, QStringLiteral("no request type for %1").arg(event) };
}

void tst_ChatProtocol::requestsRefused()
{
    QFETCH(QString, event);
    QFETCH(QJsonObject, payload);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);
    const std::optional<Error> error = refusal(event, payload);
    QVERIFY(error);
    QCOMPARE(error->code, code);
    QVERIFY(!error->message.isEmpty());
    if (!mentions.isEmpty())
        QVERIFY2(error->message.contains(mentions), qPrintable(error->message));
}

void tst_ChatProtocol::requestsRoundTrip()
{
    const SendMessageRequest send { QStringLiteral("dm:alice:bob"), QStringLiteral("c-1"),
                                    QStringLiteral("héllo\nthere") };
    const Result<SendMessageRequest> readSend = SendMessageRequest::fromJson(send.toJson());
    QVERIFY(readSend);
    QCOMPARE(readSend->room, send.room);
    QCOMPARE(readSend->clientId, send.clientId);
    QCOMPARE(readSend->text, send.text);

    const ReceiptRequest receipt { QStringLiteral("general"), 42, ReceiptKind::Read };
    const Result<ReceiptRequest> readReceipt = ReceiptRequest::fromJson(receipt.toJson());
    QVERIFY(readReceipt);
    QCOMPARE(readReceipt->seq, 42);
    QCOMPARE(readReceipt->kind, ReceiptKind::Read);

    const CreateRoomRequest create { QStringLiteral("general"), QStringLiteral("Everything") };
    QCOMPARE(CreateRoomRequest::fromJson(create.toJson())->topic, create.topic);
    const GetPresenceRequest presence { { u"alice"_s, u"bob"_s } };
    QCOMPARE(GetPresenceRequest::fromJson(presence.toJson())->users, presence.users);
    const CreateRoomRequest secret { u"ops"_s, {}, Visibility::Private };
    QCOMPARE(CreateRoomRequest::fromJson(secret.toJson())->visibility, Visibility::Private);
    QVERIFY(!create.toJson().contains(u"visibility"_s)); // public is the default
    const RoleRequest role { u"ops"_s, u"bob"_s, RoomRole::Moderator };
    QCOMPARE(RoleRequest::fromJson(role.toJson())->role, RoomRole::Moderator);
    const BanRequest unban { u"ops"_s, u"bob"_s, false };
    QCOMPARE(BanRequest::fromJson(unban.toJson())->on, false);
    const DirectoryRequest directory { u"  Ops "_s, 7 };
    QCOMPARE(DirectoryRequest::fromJson(directory.toJson())->query, u"Ops"_s);
    QCOMPARE(DirectoryRequest::fromJson(directory.toJson())->limit, 7);
    const DirectoryAnswer listed { { { u"ops"_s, u"Operations"_s, 3, 1700000000000 } } };
    QCOMPARE(DirectoryAnswer::fromJson(listed.toJson()).rooms.first().memberCount, 3);
    QCOMPARE(DirectoryAnswer::fromJson(listed.toJson()).rooms.first().lastActivity, 1700000000000);
    const Room room {
        u"ops"_s, u"t"_s, { { u"alice"_s, u"online"_s, RoomRole::Owner }, { u"bob"_s, u"away"_s } }, Visibility::Private
    };
    const Room readRoom = Room::fromJson(room.toJson());
    QCOMPARE(readRoom.visibility, Visibility::Private);
    QCOMPARE(readRoom.members.first().role, RoomRole::Owner);
    QVERIFY(!readRoom.members.last().role); // a direct-message room's entries carry none
}

void tst_ChatProtocol::historyBounds()
{
    // Absent fields stay absent (the server's defaults apply), present ones are kept.
    const Result<HistoryRequest> bare = HistoryRequest::fromJson({ { u"room"_s, u"r"_s } });
    QVERIFY(bare);
    QVERIFY(!bare->afterSeq && !bare->beforeSeq && !bare->limit);
    const HistoryRequest page { QStringLiteral("r"), 10, 20, 5 };
    QCOMPARE(page.toJson().value(u"afterSeq"_s).toInteger(), 10);
    const Result<HistoryRequest> read = HistoryRequest::fromJson(page.toJson());
    QVERIFY(read);
    QCOMPARE(*read->afterSeq, 10);
    QCOMPARE(*read->beforeSeq, 20);
    QCOMPARE(*read->limit, 5);
    const HistoryRequest unbounded { QStringLiteral("r"), {}, {}, {} };
    QVERIFY(!unbounded.toJson().contains(u"limit"_s));
}

void tst_ChatProtocol::valuesRoundTrip()
{
    const Message message {
        QStringLiteral("general"), QByteArrayLiteral("abc"), 3, 1700000000123, QStringLiteral("alice"),
        QStringLiteral("hi 👋u"),   QStringLiteral("_sc-9")
    };
    const QJsonObject json = message.toJson();
    QCOMPARE(json.keys(), QStringList({ u"clientId"_s, u"from"_s, u"id"_s, u"room"_s, u"seq"_s, u"text"_s, u"ts"_s }));
    const Message read = Message::fromJson(json);
    QCOMPARE(read.id, message.id);
    QCOMPARE(read.ts, message.ts);
    QCOMPARE(read.text, message.text);

    const Room room { QStringLiteral("general"),
                      QStringLiteral("t"),
                      { { u"alice"_s, u"online"_s }, { u"bob"_s, u"away"_s } } };
    const Room readRoom = RoomAnswer::fromJson(RoomAnswer { room }.toJson()).room;
    QCOMPARE(readRoom.members.size(), 2);
    QCOMPARE(readRoom.members[1].status, QStringLiteral("away"));

    const PresenceEvent presence { QStringLiteral("bob"), { QStringLiteral("busy"), 99 } };
    QCOMPARE(presence.toJson().keys(), QStringList({ u"lastSeen"_s, u"status"_s, u"user"_s }));
    QCOMPARE(PresenceEvent::fromJson(presence.toJson()).presence.lastSeen, 99);
    const MemberEvent left { u"r"_s, u"u"_s, MemberAction::Left };
    QCOMPARE(MemberEvent::fromJson(left.toJson()).addsMember(), false);
    const MemberEvent joined { u"r"_s, u"u"_s, MemberAction::Joined };
    QCOMPARE(joined.toJson().value(u"action"_s).toString(), QStringLiteral("joined"));
    QVERIFY(!joined.toJson().contains(u"by"_s)); // only for invited, kicked, banned
    const MemberEvent kick { u"r"_s, u"u"_s, MemberAction::Kicked, u"mod"_s };
    const MemberEvent kicked = MemberEvent::fromJson(kick.toJson());
    QCOMPARE(kicked.action, MemberAction::Kicked);
    QCOMPARE(kicked.by, u"mod"_s);
    const MemberEvent invited { u"r"_s, u"u"_s, MemberAction::Invited, u"a"_s };
    QVERIFY(MemberEvent::fromJson(invited.toJson()).addsMember());
    const MemberEvent banned { u"r"_s, u"u"_s, MemberAction::Banned };
    QCOMPARE(banned.toJson().value(u"action"_s).toString(), u"banned"_s);
    QCOMPARE(ReceiptEvent::fromJson(ReceiptEvent { u"r"_s, u"u"_s, 5, ReceiptKind::Delivered }.toJson()).kind,
             ReceiptKind::Delivered);
    const RoomListAnswer list { { { u"a"_s, u""_s, 1 }, { u"b"_s, u"topic"_s, 2 } } };
    QCOMPARE(RoomListAnswer::fromJson(list.toJson()).rooms[1].lastSeq, 2);
}

void tst_ChatProtocol::messageV2()
{
    Message message;
    message.room = u"general"_s;
    message.id = QByteArrayLiteral("m2");
    message.seq = 4;
    message.rev = 9;
    message.from = u"alice"_s;
    message.text = u"hi @bob"_s;
    message.clientId = u"c"_s;
    message.editedAt = 1234;
    message.replyTo = ReplyQuote { QByteArrayLiteral("m1"), 3, u"bob"_s, u"question?"_s };
    message.mentions = { u"bob"_s };
    message.reactions = { Reaction { u"👍"_s, 2, { u"bob"_s, u"carol"_s } } };
    const Message read = Message::fromJson(message.toJson());
    QCOMPARE(read.rev, 9);
    QCOMPARE(read.editedAt, 1234);
    QVERIFY(read.replyTo);
    QCOMPARE(read.replyTo->seq, 3);
    QCOMPARE(read.mentions, message.mentions);
    QCOMPARE(read.reactions.size(), 1);
    QCOMPARE(read.reactions[0].users, message.reactions[0].users);

    // Optional fields are absent, not empty; a tombstone carries only what the contract lists.
    Message plain = message;
    plain.editedAt = 0;
    plain.replyTo.reset();
    plain.mentions.clear();
    plain.reactions.clear();
    QCOMPARE(plain.toJson().keys(),
             QStringList({ u"clientId"_s, u"from"_s, u"id"_s, u"rev"_s, u"room"_s, u"seq"_s, u"text"_s, u"ts"_s }));
    Message tombstone = message;
    tombstone.deleted = true;
    const QJsonObject gone = tombstone.toJson();
    QCOMPARE(gone.keys(),
             QStringList({ u"clientId"_s, u"deleted"_s, u"from"_s, u"id"_s, u"rev"_s, u"room"_s, u"seq"_s, u"text"_s,
                           u"ts"_s }));
    QCOMPARE(gone.value(u"text"_s).toString(), QString());
}

void tst_ChatProtocol::changesRefused_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<ErrorCode>("code");
    const QJsonObject ok { { u"room"_s, u"r"_s }, { u"id"_s, u"abc"_s } };
    auto with = [ok](const QString &key, const QJsonValue &value) {
        QJsonObject payload = ok;
        payload.insert(key, value);
        return payload;
    };
    QTest::newRow("edit: no text") << Event::MessageEdit << ok << ErrorCode::BadRequest;
    QTest::newRow("edit: empty text") << Event::MessageEdit << with(u"text"_s, u""_s) << ErrorCode::BadRequest;
    QTest::newRow("edit: long text") << Event::MessageEdit << with(u"text"_s, QString(MaxTextLength + 1, u'x'))
                                     << ErrorCode::TooLarge;
    QTest::newRow("edit: bad id") << Event::MessageEdit
                                  << QJsonObject { { u"room"_s, u"r"_s }, { u"id"_s, u"a b"_s }, { u"text"_s, u"t"_s } }
                                  << ErrorCode::BadRequest;
    QTest::newRow("delete: no id") << Event::MessageDelete << QJsonObject { { u"room"_s, u"r"_s } }
                                   << ErrorCode::BadRequest;
    QTest::newRow("delete: bad room") << Event::MessageDelete << with(u"room"_s, u"R R"_s) << ErrorCode::BadRequest;
    QTest::newRow("react: no on") << Event::ReactionSet << with(u"emoji"_s, u"👍"_s) << ErrorCode::BadRequest;
    QTest::newRow("react: space") << Event::ReactionSet
                                  << QJsonObject { { u"room"_s, u"r"_s },
                                                   { u"id"_s, u"abc"_s },
                                                   { u"emoji"_s, u"a b"_s },
                                                   { u"on"_s, true } }
                                  << ErrorCode::BadRequest;
    QTest::newRow("updates: no afterRev")
        << Event::UpdatesFetch << QJsonObject { { u"room"_s, u"r"_s } } << ErrorCode::BadRequest;
    QTest::newRow("updates: limit") << Event::UpdatesFetch
                                    << QJsonObject { { u"room"_s, u"r"_s },
                                                     { u"afterRev"_s, 0 },
                                                     { u"limit"_s, MaxUpdatesLimit + 1 } }
                                    << ErrorCode::BadRequest;
    QTest::newRow("send: bad replyTo") << Event::MessageSend
                                       << QJsonObject { { u"room"_s, u"r"_s },
                                                        { u"clientId"_s, u"c"_s },
                                                        { u"text"_s, u"t"_s },
                                                        { u"replyTo"_s, 5 } }
                                       << ErrorCode::BadRequest;
}

void tst_ChatProtocol::changesRefused()
{
    QFETCH(QString, event);
    QFETCH(QJsonObject, payload);
    QFETCH(ErrorCode, code);
    std::optional<Error> error;
    auto check = [&error](const auto &result) {
        if (!result)
            error = result.error();
    };
    if (event == Event::MessageEdit)
        check(EditMessageRequest::fromJson(payload));
    else if (event == Event::MessageDelete)
        check(DeleteMessageRequest::fromJson(payload));
    else if (event == Event::ReactionSet)
        check(SetReactionRequest::fromJson(payload));
    else if (event == Event::UpdatesFetch)
        check(UpdatesRequest::fromJson(payload));
    else if (event == Event::MessageSend)
        check(SendMessageRequest::fromJson(payload));
    QVERIFY(error);
    QCOMPARE(error->code, code);
}

void tst_ChatProtocol::emoji_data()
{
    QTest::addColumn<QString>("emoji");
    QTest::addColumn<bool>("valid");
    QTest::newRow("thumbs up") << u"👍"_s << true;
    QTest::newRow("with skin tone") << u"👍🏽"_s << true;
    QTest::newRow("family (ZWJ)") << u"👨‍👩‍👧"_s << true;
    QTest::newRow("plain text") << u"+1"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"👍 👍"_s << false;
    QTest::newRow("newline") << u"a\n"_s << false;
    QTest::newRow("nbsp") << u"a\u00a0"_s << false;
    QTest::newRow("33 bytes") << QString(33, u'x') << false;
    QTest::newRow("32 bytes") << QString(32, u'x') << true;
    QTest::newRow("lone surrogate") << QString(QChar(0xd83d)) << false;
}

void tst_ChatProtocol::emoji()
{
    QFETCH(QString, emoji);
    QFETCH(bool, valid);
    QCOMPARE(isValidEmoji(emoji), valid);
}

void tst_ChatProtocol::mentions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("one") << u"hi @bob"_s << QStringList { u"bob"_s };
    QTest::newRow("case") << u"@Bob and @ALICE"_s << QStringList { u"bob"_s, u"alice"_s };
    QTest::newRow("once") << u"@bob @bob"_s << QStringList { u"bob"_s };
    QTest::newRow("sentence end") << u"thanks @bob."_s << QStringList { u"bob"_s };
    QTest::newRow("mail address") << u"write to me@example.org"_s << QStringList {};
    QTest::newRow("too short") << u"@b"_s << QStringList {};
    QTest::newRow("punctuation") << u"(@carol, @dave!)"_s << QStringList { u"carol"_s, u"dave"_s };
}

void tst_ChatProtocol::mentions()
{
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    QCOMPARE(mentionedNames(text), names);
}

void tst_ChatProtocol::idsAreNeverOptions()
{
    // Message ids go on command lines: none may start with '-' (or it reads as options).
    for (int i = 0; i < 20000; ++i) {
        const QByteArray id = Confab::randomId();
        QVERIFY2(!id.startsWith('-'), id.constData());
        QVERIFY2(isValidMessageId(QString::fromLatin1(id)), id.constData());
    }
}

QTEST_GUILESS_MAIN(tst_ChatProtocol)
#include "tst_chatprotocol.moc"
