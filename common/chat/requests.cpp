#include "chat/requests.h"

#include "chat/requestparsing.h"

#include <QJsonArray>

namespace Confab::Chat {

using namespace Parsing;

QJsonObject CreateRoomRequest::toJson() const
{
    QJsonObject payload { { QStringLiteral("room"), room } };
    if (!topic.isEmpty())
        payload.insert(QStringLiteral("topic"), topic);
    return payload;
}

Result<CreateRoomRequest> CreateRoomRequest::fromJson(const QJsonObject &payload)
{
    const QString room = string(payload, QLatin1StringView("room"));
    const QJsonValue topic = payload.value(QLatin1StringView("topic"));
    if (!isValidRoomName(room))
        return badRequest(QStringLiteral("room must match %1").arg(QLatin1String(RoomNamePattern)));
    if (!topic.isUndefined() && !topic.isString())
        return badRequest(QStringLiteral("topic must be a string"));
    if (topic.toString().size() > MaxTopicLength)
        return Error { ErrorCode::TooLarge, QStringLiteral("topic must be at most %1 characters").arg(MaxTopicLength) };
    return CreateRoomRequest { room, topic.toString() };
}

QJsonObject RoomRequest::toJson() const
{
    return { { QStringLiteral("room"), room } };
}

Result<RoomRequest> RoomRequest::fromJson(const QJsonObject &payload)
{
    const QString room = string(payload, QLatin1StringView("room"));
    if (auto error = checkRoomReference(room))
        return *error;
    return RoomRequest { room };
}

QJsonObject OpenDirectRequest::toJson() const
{
    return { { QStringLiteral("user"), user } };
}

Result<OpenDirectRequest> OpenDirectRequest::fromJson(const QJsonObject &payload)
{
    const QString user = string(payload, QLatin1StringView("user"));
    if (!isValidUsername(user))
        return badRequest(QStringLiteral("user must match %1").arg(QLatin1String(UsernamePattern)));
    return OpenDirectRequest { user };
}

QJsonObject SendMessageRequest::toJson() const
{
    QJsonObject payload { { QStringLiteral("room"), room },
                          { QStringLiteral("clientId"), clientId },
                          { QStringLiteral("text"), text } };
    if (!replyTo.isEmpty())
        payload.insert(QStringLiteral("replyTo"), QString::fromLatin1(replyTo));
    return payload;
}

Result<SendMessageRequest> SendMessageRequest::fromJson(const QJsonObject &payload)
{
    const QJsonValue clientId = payload.value(QLatin1StringView("clientId"));
    const QJsonValue text = payload.value(QLatin1StringView("text"));
    if (!clientId.isString() || clientId.toString().isEmpty() || clientId.toString().size() > MaxClientIdLength)
        return badRequest(QStringLiteral("clientId must be a string of 1 to %1 characters").arg(MaxClientIdLength));
    if (auto error = checkText(text))
        return *error;
    const QString room = string(payload, QLatin1StringView("room"));
    if (auto error = checkRoomReference(room))
        return *error;
    const QJsonValue replyTo = payload.value(QLatin1StringView("replyTo"));
    if (!replyTo.isUndefined() && !replyTo.isNull()) {
        if (auto error = checkMessageId(replyTo.toString(), QStringLiteral("replyTo")))
            return *error;
    }
    return SendMessageRequest { room, clientId.toString(), text.toString(), replyTo.toString().toLatin1() };
}

QJsonObject HistoryRequest::toJson() const
{
    QJsonObject payload { { QStringLiteral("room"), room } };
    if (afterSeq)
        payload.insert(QStringLiteral("afterSeq"), *afterSeq);
    if (beforeSeq)
        payload.insert(QStringLiteral("beforeSeq"), *beforeSeq);
    if (limit)
        payload.insert(QStringLiteral("limit"), *limit);
    return payload;
}

Result<HistoryRequest> HistoryRequest::fromJson(const QJsonObject &payload)
{
    HistoryRequest request { string(payload, QLatin1StringView("room")), {}, {}, {} };
    if (auto error = checkRoomReference(request.room))
        return *error;
    bool hasAfter = false, hasBefore = false, hasLimit = false;
    const auto after = optionalSeq(payload, QStringLiteral("afterSeq"), &hasAfter);
    const auto before = optionalSeq(payload, QStringLiteral("beforeSeq"), &hasBefore);
    const auto limit = optionalSeq(payload, QStringLiteral("limit"), &hasLimit);
    if (!after || !before || !limit || (hasLimit && (*limit < 1 || *limit > MaxHistoryLimit)))
        return badRequest(QStringLiteral("afterSeq, beforeSeq: integers >= 0; limit: 1 to %1").arg(MaxHistoryLimit));
    if (hasAfter)
        request.afterSeq = *after;
    if (hasBefore)
        request.beforeSeq = *before;
    if (hasLimit)
        request.limit = int(*limit);
    return request;
}

QJsonObject ReceiptRequest::toJson() const
{
    return { { QStringLiteral("room"), room },
             { QStringLiteral("seq"), seq },
             { QStringLiteral("kind"), receiptKindName(kind) } };
}

Result<ReceiptRequest> ReceiptRequest::fromJson(const QJsonObject &payload)
{
    ReceiptRequest request { string(payload, QLatin1StringView("room")), 0, ReceiptKind::Delivered };
    if (auto error = checkRoomReference(request.room))
        return *error;
    const QString kind = string(payload, QLatin1StringView("kind"));
    if (kind != receiptKindName(ReceiptKind::Delivered) && kind != receiptKindName(ReceiptKind::Read))
        return badRequest(QStringLiteral("kind must be delivered or read"));
    request.kind = kind == receiptKindName(ReceiptKind::Read) ? ReceiptKind::Read : ReceiptKind::Delivered;
    bool present = false;
    const auto seq = optionalSeq(payload, QStringLiteral("seq"), &present);
    if (!seq || !present || *seq < 1)
        return badRequest(QStringLiteral("seq must be an integer >= 1"));
    request.seq = *seq;
    return request;
}

QJsonObject TypingRequest::toJson() const
{
    return { { QStringLiteral("room"), room }, { QStringLiteral("active"), active } };
}

Result<TypingRequest> TypingRequest::fromJson(const QJsonObject &payload)
{
    const QJsonValue active = payload.value(QLatin1StringView("active"));
    if (!active.isBool())
        return badRequest(QStringLiteral("active must be a boolean"));
    const QString room = string(payload, QLatin1StringView("room"));
    if (auto error = checkRoomReference(room))
        return *error;
    return TypingRequest { room, active.toBool() };
}

QJsonObject SetPresenceRequest::toJson() const
{
    return { { QStringLiteral("status"), status } };
}

Result<SetPresenceRequest> SetPresenceRequest::fromJson(const QJsonObject &payload)
{
    const QString status = string(payload, QLatin1StringView("status"));
    if (!isSettableStatus(status))
        return badRequest(QStringLiteral("status must be online, away or busy"));
    return SetPresenceRequest { status };
}

QJsonObject GetPresenceRequest::toJson() const
{
    return { { QStringLiteral("users"), QJsonArray::fromStringList(users) } };
}

Result<GetPresenceRequest> GetPresenceRequest::fromJson(const QJsonObject &payload)
{
    const QJsonValue users = payload.value(QLatin1StringView("users"));
    if (!users.isArray())
        return badRequest(QStringLiteral("users must be an array"));
    GetPresenceRequest request;
    const QJsonArray list = users.toArray();
    request.users.reserve(list.size());
    for (const QJsonValue &value : list) {
        if (!isValidUsername(value.toString()))
            return badRequest(QStringLiteral("each user must match %1").arg(QLatin1String(UsernamePattern)));
        request.users.append(value.toString());
    }
    return request;
}

QJsonObject RoomAnswer::toJson() const
{
    return { { QStringLiteral("room"), room.toJson() } };
}

RoomAnswer RoomAnswer::fromJson(const QJsonObject &answer)
{
    return { Room::fromJson(answer.value(QLatin1StringView("room")).toObject()) };
}

QJsonObject JoinRoomAnswer::toJson() const
{
    return { { QStringLiteral("room"), room.toJson() },
             { QStringLiteral("lastSeq"), lastSeq },
             { QStringLiteral("lastRev"), lastRev } };
}

JoinRoomAnswer JoinRoomAnswer::fromJson(const QJsonObject &answer)
{
    return { Room::fromJson(answer.value(QLatin1StringView("room")).toObject()),
             answer.value(QLatin1StringView("lastSeq")).toInteger(),
             answer.value(QLatin1StringView("lastRev")).toInteger() };
}

QJsonObject RoomListAnswer::toJson() const
{
    QJsonArray list;
    for (const RoomSummary &room : rooms)
        list.append(room.toJson());
    return { { QStringLiteral("rooms"), list } };
}

RoomListAnswer RoomListAnswer::fromJson(const QJsonObject &answer)
{
    RoomListAnswer result;
    for (const QJsonValue &room : answer.value(QLatin1StringView("rooms")).toArray())
        result.rooms.append(RoomSummary::fromJson(room.toObject()));
    return result;
}

QJsonObject SendMessageAnswer::toJson() const
{
    return { { QStringLiteral("id"), QString::fromLatin1(id) },
             { QStringLiteral("seq"), seq },
             { QStringLiteral("ts"), ts } };
}

SendMessageAnswer SendMessageAnswer::fromJson(const QJsonObject &answer)
{
    return { answer.value(QLatin1StringView("id")).toString().toLatin1(),
             answer.value(QLatin1StringView("seq")).toInteger(), answer.value(QLatin1StringView("ts")).toInteger() };
}

QJsonObject HistoryAnswer::toJson() const
{
    QJsonArray list;
    for (const Message &message : messages)
        list.append(message.toJson());
    return { { QStringLiteral("messages"), list } };
}

HistoryAnswer HistoryAnswer::fromJson(const QJsonObject &answer)
{
    HistoryAnswer result;
    const QJsonArray list = answer.value(QLatin1StringView("messages")).toArray();
    result.messages.reserve(list.size());
    for (const QJsonValue &message : list)
        result.messages.append(Message::fromJson(message.toObject()));
    return result;
}

QJsonObject PresenceAnswer::toJson() const
{
    QJsonObject map;
    for (auto it = presence.cbegin(); it != presence.cend(); ++it)
        map.insert(it.key(), it.value().toJson());
    return { { QStringLiteral("presence"), map } };
}

PresenceAnswer PresenceAnswer::fromJson(const QJsonObject &answer)
{
    PresenceAnswer result;
    const QJsonObject map = answer.value(QLatin1StringView("presence")).toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        result.presence.insert(it.key(), PresenceInfo::fromJson(it.value().toObject()));
    return result;
}

} // namespace Confab::Chat
