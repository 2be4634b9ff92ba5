#include "chat/errors.h"

#include <array>

namespace Confab::Chat {

namespace {

constexpr std::array<std::pair<ErrorCode, QLatin1StringView>, 9> Names { {
    { ErrorCode::BadRequest, QLatin1StringView("bad_request") },
    { ErrorCode::Unauthorized, QLatin1StringView("unauthorized") },
    { ErrorCode::Forbidden, QLatin1StringView("forbidden") },
    { ErrorCode::NotFound, QLatin1StringView("not_found") },
    { ErrorCode::Conflict, QLatin1StringView("conflict") },
    { ErrorCode::TooLarge, QLatin1StringView("too_large") },
    { ErrorCode::RateLimited, QLatin1StringView("rate_limited") },
    { ErrorCode::Unavailable, QLatin1StringView("unavailable") },
    { ErrorCode::Internal, QLatin1StringView("internal") },
} };

} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &[value, name] : Names) {
        if (value == code)
            return name;
    }
    return QStringLiteral("internal");
}

ErrorCode errorCodeFromName(QStringView name)
{
    for (const auto &[value, wireName] : Names) {
        if (name == wireName)
            return value;
    }
    return ErrorCode::Internal;
}

QJsonObject okAnswer(QJsonObject fields)
{
    fields.insert(QStringLiteral("ok"), true);
    return fields;
}

QJsonObject errorAnswer(const Error &error)
{
    return { { QStringLiteral("ok"), false },
             { QStringLiteral("error"),
               QJsonObject { { QStringLiteral("code"), errorCodeName(error.code) },
                             { QStringLiteral("message"), error.message } } } };
}

std::optional<Error> answerError(const QJsonObject &answer)
{
    if (answer.value(QStringLiteral("ok")).toBool())
        return std::nullopt;
    const QJsonObject error = answer.value(QStringLiteral("error")).toObject();
    return Error { errorCodeFromName(error.value(QStringLiteral("code")).toString()),
                   error.value(QStringLiteral("message")).toString() };
}

} // namespace Confab::Chat
