// The chat protocol's values as types: what the server stores and sends, and what
// clients read. Each has the one toJson/fromJson of its shape on the wire.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Confab::Chat {

// replyTo: the replied-to message as it was when the reply was sent.
struct ReplyQuote
{
    QByteArray id {};
    qint64 seq = 0;
    QString from {};
    QString text {}; // its first ReplyQuoteLength characters; "" when it is deleted

    QJsonObject toJson() const;
    static ReplyQuote fromJson(const QJsonObject &object);
};

// A file a message carries: {id, name, size, type, width?, height?, thumbnail?}, from the
// upload's record; width, height and thumbnail (another file's id) as the sender gave them.
struct Attachment
{
    QByteArray id {};
    QString name {};
    qint64 size = 0;
    QByteArray type {};
    int width = 0; // 0: not given
    int height = 0;
    QByteArray thumbnail {};

    QJsonObject toJson() const;
    static Attachment fromJson(const QJsonObject &object);
};

// One emoji's reactions to a message: how many, and the first MaxReactionUsers who
// reacted, in the order they did.
struct Reaction
{
    QString emoji {};
    int count = 0;
    QStringList users {};

    QJsonObject toJson() const;
    static Reaction fromJson(const QJsonObject &object);
};

// v1: {room, id, seq, ts, from, text, clientId}; v2 adds rev, and editedAt, deleted,
// replyTo, mentions and reactions when they have something to say (absent otherwise).
// A deleted message is a tombstone: text "" and no replyTo, mentions or reactions.
struct Message
{
    QString room {};
    QByteArray id {}; // ASCII, unique across the cluster
    qint64 seq = 0;
    qint64 ts = 0; // milliseconds since the epoch, the server's clock
    QString from {};
    QString text {};
    QString clientId {};
    qint64 rev = 0;      // the room revision at which it last changed
    qint64 editedAt = 0; // ms; 0: never edited
    bool deleted = false;
    std::optional<ReplyQuote> replyTo {};
    QStringList mentions {};
    QList<Reaction> reactions {};
    QList<Attachment> attachments {};

    QJsonObject toJson() const;
    static Message fromJson(const QJsonObject &object);
};

// An entry of room:list: {name, topic, visibility, lastSeq, lastRev, readSeq, unread, mentions}:
// unread counts messages after readSeq neither sent by the caller nor deleted; mentions
// those of them that mention the caller.
// A room is public (in the directory, anyone may join) or private (members invite).
// A direct-message room is private and has no roles.
enum class Visibility { Public, Private };
QString visibilityName(Visibility visibility);
std::optional<Visibility> visibilityFromName(const QString &name);

// A member's role in a room: the owner (one, the creator), moderators, members.
enum class RoomRole { Member, Moderator, Owner };
QString roomRoleName(RoomRole role);
std::optional<RoomRole> roomRoleFromName(const QString &name);

struct RoomSummary
{
    QString name {};
    QString topic {};
    qint64 lastSeq = 0;
    qint64 lastRev = 0;
    qint64 readSeq = 0;
    qint64 unread = 0;
    qint64 mentions = 0;
    Visibility visibility = Visibility::Public;

    QJsonObject toJson() const;
    static RoomSummary fromJson(const QJsonObject &object);
};

// {user, status, role}; no role in a direct-message room.
struct Member
{
    QString user {};
    QString status {};
    std::optional<RoomRole> role {};

    QJsonObject toJson() const;
    static Member fromJson(const QJsonObject &object);
};

// Room = {name, topic, visibility, members: [Member]}
struct Room
{
    QString name {};
    QString topic {};
    QList<Member> members {};
    Visibility visibility = Visibility::Public;

    QJsonObject toJson() const;
    static Room fromJson(const QJsonObject &object);
};

// A user's presence: status online, away, busy or offline; lastSeen in ms (0: unknown).
struct PresenceInfo
{
    QString status = QStringLiteral("offline");
    qint64 lastSeen = 0;

    QJsonObject toJson() const;
    static PresenceInfo fromJson(const QJsonObject &object);
};

// Statuses a user may set (presence:set); "offline" is the server's to say.
bool isSettableStatus(const QString &status);

// Server-to-client events.

// presence: {user, status, lastSeen}
struct PresenceEvent
{
    QString user {};
    PresenceInfo presence {};

    QJsonObject toJson() const;
    static PresenceEvent fromJson(const QJsonObject &object);
};

// typing: {room, user, active}
struct TypingEvent
{
    QString room {};
    QString user {};
    bool active = false;

    QJsonObject toJson() const;
    static TypingEvent fromJson(const QJsonObject &object);
};

enum class ReceiptKind { Delivered, Read };
QString receiptKindName(ReceiptKind kind);

// receipt: {room, user, seq, kind}
struct ReceiptEvent
{
    QString room {};
    QString user {};
    qint64 seq = 0;
    ReceiptKind kind = ReceiptKind::Delivered;

    QJsonObject toJson() const;
    static ReceiptEvent fromJson(const QJsonObject &object);
};

// member: {room, user, action, by?}; `by` names who invited, kicked or banned.
enum class MemberAction { Joined, Left, Invited, Kicked, Banned };
QString memberActionName(MemberAction action);

struct MemberEvent
{
    QString room {};
    QString user {};
    MemberAction action = MemberAction::Joined;
    QString by {};

    // The user is a member after it (joined or invited); otherwise they no longer are.
    bool addsMember() const { return action == MemberAction::Joined || action == MemberAction::Invited; }
    QJsonObject toJson() const;
    static MemberEvent fromJson(const QJsonObject &object);
};

// read: {room, readSeq, unread, mentions}, to every connection of the user who read.
struct ReadEvent
{
    QString room {};
    qint64 readSeq = 0;
    qint64 unread = 0;
    qint64 mentions = 0;

    QJsonObject toJson() const;
    static ReadEvent fromJson(const QJsonObject &object);
};

// announcement: {text, ts}
struct Announcement
{
    QString text {};
    qint64 ts = 0;

    QJsonObject toJson() const;
    static Announcement fromJson(const QJsonObject &object);
};

} // namespace Confab::Chat
