#include "chat/fulltext.h"
#include "chat/requestparsing.h"
#include "chat/requests.h"

#include <QRegularExpression>

#include <algorithm>

namespace Confab::Chat {

using namespace Parsing;

QString fullTextQuery(const QString &typed)
{
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    QStringList words = typed.split(separators, Qt::SkipEmptyParts);
    for (QString &word : words)
        word = QLatin1Char('"') + word + QLatin1Char('"');
    if (!words.isEmpty())
        words.last().append(QLatin1Char('*'));
    return words.join(QLatin1Char(' '));
}

QJsonObject SearchRequest::toJson() const
{
    QJsonObject payload { { QStringLiteral("query"), query } };
    if (!room.isEmpty())
        payload.insert(QStringLiteral("room"), room);
    if (beforeSeq)
        payload.insert(QStringLiteral("beforeSeq"), *beforeSeq);
    if (limit)
        payload.insert(QStringLiteral("limit"), *limit);
    return payload;
}

Result<SearchRequest> SearchRequest::fromJson(const QJsonObject &payload)
{
    const QJsonValue query = payload.value(QLatin1StringView("query"));
    SearchRequest request { query.toString().trimmed(), {}, {}, {} };
    const bool hasWord
        = std::any_of(request.query.cbegin(), request.query.cend(), [](QChar c) { return c.isLetterOrNumber(); });
    if (!query.isString() || !hasWord || request.query.size() > MaxSearchQueryLength)
        return badRequest(QStringLiteral("query must be a string of at most %1 characters with a word in it")
                              .arg(MaxSearchQueryLength));
    if (payload.contains(QLatin1StringView("room"))) {
        request.room = string(payload, QLatin1StringView("room"));
        if (auto error = checkRoomReference(request.room))
            return *error;
    }
    bool hasBefore = false, hasLimit = false;
    const auto before = optionalSeq(payload, QStringLiteral("beforeSeq"), &hasBefore);
    const auto limit = optionalSeq(payload, QStringLiteral("limit"), &hasLimit);
    if (!before || !limit || (hasLimit && (*limit < 1 || *limit > MaxSearchLimit)))
        return badRequest(QStringLiteral("beforeSeq: an integer >= 0; limit: 1 to %1").arg(MaxSearchLimit));
    if (hasBefore && request.room.isEmpty())
        return badRequest(QStringLiteral("beforeSeq pages within one room: give room too"));
    if (hasBefore)
        request.beforeSeq = *before;
    if (hasLimit)
        request.limit = int(*limit);
    return request;
}

} // namespace Confab::Chat
