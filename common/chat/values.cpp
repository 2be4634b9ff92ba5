#include "chat/values.h"

#include <QJsonArray>

namespace Confab::Chat {

namespace {

QString string(const QJsonObject &object, QLatin1StringView key)
{
    return object.value(key).toString();
}

qint64 integer(const QJsonObject &object, QLatin1StringView key)
{
    return object.value(key).toInteger();
}

} // namespace

QJsonObject ReplyQuote::toJson() const
{
    return { { QStringLiteral("id"), QString::fromLatin1(id) },
             { QStringLiteral("seq"), seq },
             { QStringLiteral("from"), from },
             { QStringLiteral("text"), text } };
}

ReplyQuote ReplyQuote::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("id")).toLatin1(), integer(object, QLatin1StringView("seq")),
             string(object, QLatin1StringView("from")), string(object, QLatin1StringView("text")) };
}

QJsonObject Attachment::toJson() const
{
    QJsonObject object { { QStringLiteral("id"), QString::fromLatin1(id) },
                         { QStringLiteral("name"), name },
                         { QStringLiteral("size"), size },
                         { QStringLiteral("type"), QString::fromLatin1(type) } };
    if (width > 0 && height > 0) {
        object.insert(QStringLiteral("width"), width);
        object.insert(QStringLiteral("height"), height);
    }
    if (!thumbnail.isEmpty())
        object.insert(QStringLiteral("thumbnail"), QString::fromLatin1(thumbnail));
    return object;
}

Attachment Attachment::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("id")).toLatin1(),
             string(object, QLatin1StringView("name")),
             integer(object, QLatin1StringView("size")),
             string(object, QLatin1StringView("type")).toLatin1(),
             int(integer(object, QLatin1StringView("width"))),
             int(integer(object, QLatin1StringView("height"))),
             string(object, QLatin1StringView("thumbnail")).toLatin1() };
}

QJsonObject Reaction::toJson() const
{
    return { { QStringLiteral("emoji"), emoji },
             { QStringLiteral("count"), count },
             { QStringLiteral("users"), QJsonArray::fromStringList(users) } };
}

Reaction Reaction::fromJson(const QJsonObject &object)
{
    QStringList users;
    for (const QJsonValue &user : object.value(QLatin1StringView("users")).toArray())
        users.append(user.toString());
    return { string(object, QLatin1StringView("emoji")), int(integer(object, QLatin1StringView("count"))), users };
}

QJsonObject Message::toJson() const
{
    QJsonObject object {
        { QStringLiteral("room"), room },        { QStringLiteral("id"), QString::fromLatin1(id) },
        { QStringLiteral("seq"), seq },          { QStringLiteral("ts"), ts },
        { QStringLiteral("from"), from },        { QStringLiteral("text"), deleted ? QString() : text },
        { QStringLiteral("clientId"), clientId }
    };
    if (rev > 0)
        object.insert(QStringLiteral("rev"), rev);
    if (deleted) {
        object.insert(QStringLiteral("deleted"), true);
        return object; // a tombstone says nothing more
    }
    if (editedAt > 0)
        object.insert(QStringLiteral("editedAt"), editedAt);
    if (replyTo)
        object.insert(QStringLiteral("replyTo"), replyTo->toJson());
    if (!mentions.isEmpty())
        object.insert(QStringLiteral("mentions"), QJsonArray::fromStringList(mentions));
    if (!reactions.isEmpty()) {
        QJsonArray list;
        for (const Reaction &reaction : reactions)
            list.append(reaction.toJson());
        object.insert(QStringLiteral("reactions"), list);
    }
    if (!attachments.isEmpty()) {
        QJsonArray list;
        for (const Attachment &attachment : attachments)
            list.append(attachment.toJson());
        object.insert(QStringLiteral("attachments"), list);
    }
    return object;
}

Message Message::fromJson(const QJsonObject &object)
{
    Message message { string(object, QLatin1StringView("room")),    string(object, QLatin1StringView("id")).toLatin1(),
                      integer(object, QLatin1StringView("seq")),    integer(object, QLatin1StringView("ts")),
                      string(object, QLatin1StringView("from")),    string(object, QLatin1StringView("text")),
                      string(object, QLatin1StringView("clientId")) };
    message.rev = integer(object, QLatin1StringView("rev"));
    message.editedAt = integer(object, QLatin1StringView("editedAt"));
    message.deleted = object.value(QLatin1StringView("deleted")).toBool();
    const QJsonValue replyTo = object.value(QLatin1StringView("replyTo"));
    if (replyTo.isObject())
        message.replyTo = ReplyQuote::fromJson(replyTo.toObject());
    for (const QJsonValue &user : object.value(QLatin1StringView("mentions")).toArray())
        message.mentions.append(user.toString());
    for (const QJsonValue &reaction : object.value(QLatin1StringView("reactions")).toArray())
        message.reactions.append(Reaction::fromJson(reaction.toObject()));
    for (const QJsonValue &attachment : object.value(QLatin1StringView("attachments")).toArray())
        message.attachments.append(Attachment::fromJson(attachment.toObject()));
    return message;
}

QString visibilityName(Visibility visibility)
{
    return visibility == Visibility::Private ? QStringLiteral("private") : QStringLiteral("public");
}

std::optional<Visibility> visibilityFromName(const QString &name)
{
    if (name == QLatin1String("public"))
        return Visibility::Public;
    if (name == QLatin1String("private"))
        return Visibility::Private;
    return std::nullopt;
}

QString roomRoleName(RoomRole role)
{
    switch (role) {
    case RoomRole::Owner: return QStringLiteral("owner");
    case RoomRole::Moderator: return QStringLiteral("moderator");
    case RoomRole::Member: break;
    }
    return QStringLiteral("member");
}

std::optional<RoomRole> roomRoleFromName(const QString &name)
{
    for (RoomRole role : { RoomRole::Member, RoomRole::Moderator, RoomRole::Owner }) {
        if (name == roomRoleName(role))
            return role;
    }
    return std::nullopt;
}

QJsonObject RoomSummary::toJson() const
{
    return { { QStringLiteral("name"), name },
             { QStringLiteral("topic"), topic },
             { QStringLiteral("visibility"), visibilityName(visibility) },
             { QStringLiteral("lastSeq"), lastSeq },
             { QStringLiteral("lastRev"), lastRev },
             { QStringLiteral("readSeq"), readSeq },
             { QStringLiteral("unread"), unread },
             { QStringLiteral("mentions"), mentions } };
}

RoomSummary RoomSummary::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("name")),
             string(object, QLatin1StringView("topic")),
             integer(object, QLatin1StringView("lastSeq")),
             integer(object, QLatin1StringView("lastRev")),
             integer(object, QLatin1StringView("readSeq")),
             integer(object, QLatin1StringView("unread")),
             integer(object, QLatin1StringView("mentions")),
             visibilityFromName(string(object, QLatin1StringView("visibility"))).value_or(Visibility::Public) };
}

QJsonObject Member::toJson() const
{
    QJsonObject object { { QStringLiteral("user"), user }, { QStringLiteral("status"), status } };
    if (role)
        object.insert(QStringLiteral("role"), roomRoleName(*role));
    return object;
}

Member Member::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("user")), string(object, QLatin1StringView("status")),
             roomRoleFromName(string(object, QLatin1StringView("role"))) };
}

QJsonObject Room::toJson() const
{
    QJsonArray memberList;
    for (const Member &member : members)
        memberList.append(member.toJson());
    return { { QStringLiteral("name"), name },
             { QStringLiteral("topic"), topic },
             { QStringLiteral("visibility"), visibilityName(visibility) },
             { QStringLiteral("members"), memberList } };
}

Room Room::fromJson(const QJsonObject &object)
{
    Room room { string(object, QLatin1StringView("name")),
                string(object, QLatin1StringView("topic")),
                {},
                visibilityFromName(string(object, QLatin1StringView("visibility"))).value_or(Visibility::Public) };
    for (const QJsonValue &member : object.value(QLatin1StringView("members")).toArray())
        room.members.append(Member::fromJson(member.toObject()));
    return room;
}

QJsonObject PresenceInfo::toJson() const
{
    return { { QStringLiteral("status"), status }, { QStringLiteral("lastSeen"), lastSeen } };
}

PresenceInfo PresenceInfo::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("status")), integer(object, QLatin1StringView("lastSeen")) };
}

bool isSettableStatus(const QString &status)
{
    return status == QLatin1String("online") || status == QLatin1String("away") || status == QLatin1String("busy");
}

QJsonObject PresenceEvent::toJson() const
{
    QJsonObject object = presence.toJson();
    object.insert(QStringLiteral("user"), user);
    return object;
}

PresenceEvent PresenceEvent::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("user")), PresenceInfo::fromJson(object) };
}

QJsonObject TypingEvent::toJson() const
{
    return { { QStringLiteral("room"), room }, { QStringLiteral("user"), user }, { QStringLiteral("active"), active } };
}

TypingEvent TypingEvent::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("room")), string(object, QLatin1StringView("user")),
             object.value(QLatin1StringView("active")).toBool() };
}

QString receiptKindName(ReceiptKind kind)
{
    return kind == ReceiptKind::Read ? QStringLiteral("read") : QStringLiteral("delivered");
}

QJsonObject ReceiptEvent::toJson() const
{
    return { { QStringLiteral("room"), room },
             { QStringLiteral("user"), user },
             { QStringLiteral("seq"), seq },
             { QStringLiteral("kind"), receiptKindName(kind) } };
}

ReceiptEvent ReceiptEvent::fromJson(const QJsonObject &object)
{
    const bool read = string(object, QLatin1StringView("kind")) == QLatin1String("read");
    return { string(object, QLatin1StringView("room")), string(object, QLatin1StringView("user")),
             integer(object, QLatin1StringView("seq")), read ? ReceiptKind::Read : ReceiptKind::Delivered };
}

QString memberActionName(MemberAction action)
{
    switch (action) {
    case MemberAction::Left: return QStringLiteral("left");
    case MemberAction::Invited: return QStringLiteral("invited");
    case MemberAction::Kicked: return QStringLiteral("kicked");
    case MemberAction::Banned: return QStringLiteral("banned");
    case MemberAction::Joined: break;
    }
    return QStringLiteral("joined");
}

QJsonObject MemberEvent::toJson() const
{
    QJsonObject object { { QStringLiteral("room"), room },
                         { QStringLiteral("user"), user },
                         { QStringLiteral("action"), memberActionName(action) } };
    if (!by.isEmpty())
        object.insert(QStringLiteral("by"), by);
    return object;
}

MemberEvent MemberEvent::fromJson(const QJsonObject &object)
{
    MemberEvent event { string(object, QLatin1StringView("room")), string(object, QLatin1StringView("user")),
                        MemberAction::Joined, string(object, QLatin1StringView("by")) };
    const QString action = string(object, QLatin1StringView("action"));
    for (MemberAction known :
         { MemberAction::Left, MemberAction::Invited, MemberAction::Kicked, MemberAction::Banned }) {
        if (action == memberActionName(known))
            event.action = known;
    }
    return event;
}

QJsonObject ReadEvent::toJson() const
{
    return { { QStringLiteral("room"), room },
             { QStringLiteral("readSeq"), readSeq },
             { QStringLiteral("unread"), unread },
             { QStringLiteral("mentions"), mentions } };
}

ReadEvent ReadEvent::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("room")), integer(object, QLatin1StringView("readSeq")),
             integer(object, QLatin1StringView("unread")), integer(object, QLatin1StringView("mentions")) };
}

QJsonObject Announcement::toJson() const
{
    return { { QStringLiteral("text"), text }, { QStringLiteral("ts"), ts } };
}

Announcement Announcement::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("text")), integer(object, QLatin1StringView("ts")) };
}

} // namespace Confab::Chat
