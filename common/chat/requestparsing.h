// Helpers the requests' fromJson share (common/chat only).
#pragma once

#include "chat/errors.h"
#include "chat/limits.h"
#include "chat/validation.h"

#include <QJsonObject>

#include <optional>

namespace Confab::Chat::Parsing {

inline Error badRequest(const QString &message)
{
    return { ErrorCode::BadRequest, message };
}

inline QString string(const QJsonObject &object, QLatin1StringView key)
{
    return object.value(key).toString();
}

inline std::optional<Error> checkRoomReference(const QString &room)
{
    if (!isValidRoomReference(room))
        return badRequest(
            QStringLiteral("room must match %1 or be a direct-message room").arg(QLatin1String(RoomNamePattern)));
    return std::nullopt;
}

inline std::optional<Error> checkMessageId(const QString &id, const QString &field = QStringLiteral("id"))
{
    if (!isValidMessageId(id))
        return badRequest(QStringLiteral("%1 must be a message id").arg(field));
    return std::nullopt;
}

// 1..MaxTextLength characters of valid UTF-8: too_large when longer, bad_request otherwise.
inline std::optional<Error> checkText(const QJsonValue &text)
{
    if (!text.isString())
        return badRequest(QStringLiteral("text must be a string"));
    if (!isValidText(text.toString())) {
        const bool tooLong = text.toString().size() > MaxTextLength;
        return Error { tooLong ? ErrorCode::TooLarge : ErrorCode::BadRequest,
                       QStringLiteral("text must be 1 to %1 characters of valid UTF-8").arg(MaxTextLength) };
    }
    return std::nullopt;
}

} // namespace Confab::Chat::Parsing
