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

QJsonObject Message::toJson() const
{
    return { { QStringLiteral("room"), room },        { QStringLiteral("id"), QString::fromLatin1(id) },
             { QStringLiteral("seq"), seq },          { QStringLiteral("ts"), ts },
             { QStringLiteral("from"), from },        { QStringLiteral("text"), text },
             { QStringLiteral("clientId"), clientId } };
}

Message Message::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("room")),    string(object, QLatin1StringView("id")).toLatin1(),
             integer(object, QLatin1StringView("seq")),    integer(object, QLatin1StringView("ts")),
             string(object, QLatin1StringView("from")),    string(object, QLatin1StringView("text")),
             string(object, QLatin1StringView("clientId")) };
}

QJsonObject RoomSummary::toJson() const
{
    return { { QStringLiteral("name"), name },
             { QStringLiteral("topic"), topic },
             { QStringLiteral("lastSeq"), lastSeq } };
}

RoomSummary RoomSummary::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("name")), string(object, QLatin1StringView("topic")),
             integer(object, QLatin1StringView("lastSeq")) };
}

QJsonObject Member::toJson() const
{
    return { { QStringLiteral("user"), user }, { QStringLiteral("status"), status } };
}

Member Member::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("user")), string(object, QLatin1StringView("status")) };
}

QJsonObject Room::toJson() const
{
    QJsonArray memberList;
    for (const Member &member : members)
        memberList.append(member.toJson());
    return { { QStringLiteral("name"), name },
             { QStringLiteral("topic"), topic },
             { QStringLiteral("members"), memberList } };
}

Room Room::fromJson(const QJsonObject &object)
{
    Room room { string(object, QLatin1StringView("name")), string(object, QLatin1StringView("topic")), {} };
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

QJsonObject MemberEvent::toJson() const
{
    return { { QStringLiteral("room"), room },
             { QStringLiteral("user"), user },
             { QStringLiteral("action"), joined ? QStringLiteral("joined") : QStringLiteral("left") } };
}

MemberEvent MemberEvent::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("room")), string(object, QLatin1StringView("user")),
             string(object, QLatin1StringView("action")) != QLatin1String("left") };
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
