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
    if (visibility != Visibility::Public)
        payload.insert(QStringLiteral("visibility"), visibilityName(visibility));
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
    const QJsonValue visibility = payload.value(QLatin1StringView("visibility"));
    const auto known = visibilityFromName(visibility.toString());
    if (!visibility.isUndefined() && !known)
        return badRequest(QStringLiteral("visibility must be \"public\" or \"private\""));
    return CreateRoomRequest { room, topic.toString(), known.value_or(Visibility::Public) };
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

QJsonObject AttachmentRef::toJson() const
{
    QJsonObject entry { { QStringLiteral("file"), QString::fromLatin1(file) } };
    if (!thumbnail.isEmpty())
        entry.insert(QStringLiteral("thumbnail"), QString::fromLatin1(thumbnail));
    if (width > 0 && height > 0) {
        entry.insert(QStringLiteral("width"), width);
        entry.insert(QStringLiteral("height"), height);
    }
    return entry;
}

QJsonObject SendMessageRequest::toJson() const
{
    QJsonObject payload { { QStringLiteral("room"), room },
                          { QStringLiteral("clientId"), clientId },
                          { QStringLiteral("text"), text } };
    if (!replyTo.isEmpty())
        payload.insert(QStringLiteral("replyTo"), QString::fromLatin1(replyTo));
    if (!attachments.isEmpty()) {
        QJsonArray list;
        for (const AttachmentRef &attachment : attachments)
            list.append(attachment.toJson());
        payload.insert(QStringLiteral("attachments"), list);
    }
    return payload;
}

namespace {

// message:send's attachments: at most MaxAttachments {file, thumbnail?, width?, height?}.
Result<QList<AttachmentRef>> attachmentRefs(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return QList<AttachmentRef> {};
    const Error shape = badRequest(QStringLiteral("attachments must be up to %1 objects {file, thumbnail?, width?,"
                                                  " height?} naming uploaded files")
                                       .arg(MaxAttachments));
    if (!value.isArray() || value.toArray().size() > MaxAttachments)
        return shape;
    QList<AttachmentRef> refs;
    for (const QJsonValue &entry : value.toArray()) {
        const QJsonObject object = entry.toObject();
        const QJsonValue thumbnail = object.value(QLatin1StringView("thumbnail"));
        const QJsonValue width = object.value(QLatin1StringView("width"));
        const QJsonValue height = object.value(QLatin1StringView("height"));
        const auto isSide = [](const QJsonValue &side) {
            return side.isUndefined() || (side.isDouble() && side.toDouble() >= 1 && side.toDouble() <= MaxImageSide);
        };
        if (!entry.isObject() || !isValidMessageId(object.value(QLatin1StringView("file")).toString())
            || (!thumbnail.isUndefined() && !isValidMessageId(thumbnail.toString())) || !isSide(width)
            || !isSide(height) || width.isUndefined() != height.isUndefined())
            return shape;
        refs.append({ object.value(QLatin1StringView("file")).toString().toLatin1(), thumbnail.toString().toLatin1(),
                      width.toInt(), height.toInt() });
    }
    return refs;
}

} // namespace

Result<SendMessageRequest> SendMessageRequest::fromJson(const QJsonObject &payload)
{
    const QJsonValue clientId = payload.value(QLatin1StringView("clientId"));
    const QJsonValue text = payload.value(QLatin1StringView("text"));
    if (!clientId.isString() || clientId.toString().isEmpty() || clientId.toString().size() > MaxClientIdLength)
        return badRequest(QStringLiteral("clientId must be a string of 1 to %1 characters").arg(MaxClientIdLength));
    Result<QList<AttachmentRef>> attachments = attachmentRefs(payload.value(QLatin1StringView("attachments")));
    if (!attachments)
        return attachments.error();
    // With attachments the text may be missing or empty (a picture alone).
    const bool textMayBeEmpty = !attachments->isEmpty() && (text.isUndefined() || text.toString().isEmpty());
    if (!textMayBeEmpty) {
        if (auto error = checkText(text))
            return *error;
    } else if (!text.isUndefined() && !text.isString()) {
        return badRequest(QStringLiteral("text must be a string"));
    }
    const QString room = string(payload, QLatin1StringView("room"));
    if (auto error = checkRoomReference(room))
        return *error;
    const QJsonValue replyTo = payload.value(QLatin1StringView("replyTo"));
    if (!replyTo.isUndefined() && !replyTo.isNull()) {
        if (auto error = checkMessageId(replyTo.toString(), QStringLiteral("replyTo")))
            return *error;
    }
    return SendMessageRequest { room, clientId.toString(), text.toString(), replyTo.toString().toLatin1(),
                                attachments.value() };
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
