// The requests that change an existing message (message:edit, message:delete,
// reaction:set), catching up with changes (updates:fetch), and their answers.
#include "chat/requestparsing.h"
#include "chat/requests.h"

#include <QJsonArray>

namespace Confab::Chat {

using namespace Parsing;

namespace {

// {room, id} as every change names its message; the error of the first that is wrong.
std::optional<Error> checkTarget(const QJsonObject &payload)
{
    if (auto error = checkRoomReference(string(payload, QLatin1StringView("room"))))
        return error;
    return checkMessageId(string(payload, QLatin1StringView("id")));
}

QJsonObject target(const QString &room, const QByteArray &id)
{
    return { { QStringLiteral("room"), room }, { QStringLiteral("id"), QString::fromLatin1(id) } };
}

} // namespace

QJsonObject EditMessageRequest::toJson() const
{
    QJsonObject payload = target(room, id);
    payload.insert(QStringLiteral("text"), text);
    return payload;
}

Result<EditMessageRequest> EditMessageRequest::fromJson(const QJsonObject &payload)
{
    if (auto error = checkTarget(payload))
        return *error;
    const QJsonValue text = payload.value(QLatin1StringView("text"));
    if (auto error = checkText(text))
        return *error;
    return EditMessageRequest { string(payload, QLatin1StringView("room")),
                                string(payload, QLatin1StringView("id")).toLatin1(), text.toString() };
}

QJsonObject DeleteMessageRequest::toJson() const
{
    return target(room, id);
}

Result<DeleteMessageRequest> DeleteMessageRequest::fromJson(const QJsonObject &payload)
{
    if (auto error = checkTarget(payload))
        return *error;
    return DeleteMessageRequest { string(payload, QLatin1StringView("room")),
                                  string(payload, QLatin1StringView("id")).toLatin1() };
}

QJsonObject SetReactionRequest::toJson() const
{
    QJsonObject payload = target(room, id);
    payload.insert(QStringLiteral("emoji"), emoji);
    payload.insert(QStringLiteral("on"), on);
    return payload;
}

Result<SetReactionRequest> SetReactionRequest::fromJson(const QJsonObject &payload)
{
    if (auto error = checkTarget(payload))
        return *error;
    const QString emoji = string(payload, QLatin1StringView("emoji"));
    if (!isValidEmoji(emoji))
        return badRequest(QStringLiteral("emoji must be 1 to %1 bytes of UTF-8 without spaces or control characters")
                              .arg(MaxEmojiBytes));
    const QJsonValue on = payload.value(QLatin1StringView("on"));
    if (!on.isBool())
        return badRequest(QStringLiteral("on must be a boolean"));
    return SetReactionRequest { string(payload, QLatin1StringView("room")),
                                string(payload, QLatin1StringView("id")).toLatin1(), emoji, on.toBool() };
}

QJsonObject UpdatesRequest::toJson() const
{
    QJsonObject payload { { QStringLiteral("room"), room }, { QStringLiteral("afterRev"), afterRev } };
    if (limit)
        payload.insert(QStringLiteral("limit"), *limit);
    return payload;
}

Result<UpdatesRequest> UpdatesRequest::fromJson(const QJsonObject &payload)
{
    UpdatesRequest request { string(payload, QLatin1StringView("room")), 0, {} };
    if (auto error = checkRoomReference(request.room))
        return *error;
    bool hasAfter = false, hasLimit = false;
    const auto after = optionalSeq(payload, QStringLiteral("afterRev"), &hasAfter);
    const auto limit = optionalSeq(payload, QStringLiteral("limit"), &hasLimit);
    if (!after || !hasAfter || !limit || (hasLimit && (*limit < 1 || *limit > MaxUpdatesLimit)))
        return badRequest(QStringLiteral("afterRev: an integer >= 0; limit: 1 to %1").arg(MaxUpdatesLimit));
    request.afterRev = *after;
    if (hasLimit)
        request.limit = int(*limit);
    return request;
}

QJsonObject RevAnswer::toJson() const
{
    return { { QStringLiteral("rev"), rev } };
}

RevAnswer RevAnswer::fromJson(const QJsonObject &answer)
{
    return { answer.value(QLatin1StringView("rev")).toInteger() };
}

QJsonObject EditAnswer::toJson() const
{
    return { { QStringLiteral("rev"), rev }, { QStringLiteral("editedAt"), editedAt } };
}

EditAnswer EditAnswer::fromJson(const QJsonObject &answer)
{
    return { answer.value(QLatin1StringView("rev")).toInteger(),
             answer.value(QLatin1StringView("editedAt")).toInteger() };
}

QJsonObject UpdatesAnswer::toJson() const
{
    QJsonArray list;
    for (const Message &message : messages)
        list.append(message.toJson());
    return { { QStringLiteral("messages"), list }, { QStringLiteral("lastRev"), lastRev } };
}

UpdatesAnswer UpdatesAnswer::fromJson(const QJsonObject &answer)
{
    UpdatesAnswer result;
    for (const QJsonValue &message : answer.value(QLatin1StringView("messages")).toArray())
        result.messages.append(Message::fromJson(message.toObject()));
    result.lastRev = answer.value(QLatin1StringView("lastRev")).toInteger();
    return result;
}

QJsonObject ReadsAnswer::toJson() const
{
    QJsonObject map;
    for (auto it = reads.cbegin(); it != reads.cend(); ++it)
        map.insert(it.key(), it.value());
    return { { QStringLiteral("reads"), map } };
}

ReadsAnswer ReadsAnswer::fromJson(const QJsonObject &answer)
{
    ReadsAnswer result;
    const QJsonObject map = answer.value(QLatin1StringView("reads")).toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        result.reads.insert(it.key(), it.value().toInteger());
    return result;
}

} // namespace Confab::Chat
