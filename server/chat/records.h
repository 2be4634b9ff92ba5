// Plain values the chat service and its stores exchange.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Confab::Chat {

struct UserRecord
{
    QString name;
    QByteArray passwordHash;
    bool disabled = false;
    qint64 createdAt = 0;
};

struct RoomRecord
{
    QString name;
    QString topic;
    bool isDirect = false;
    qint64 lastSeq = 0;
};

struct MessageRecord
{
    QString room;
    QByteArray id;
    qint64 seq = 0;
    qint64 ts = 0;
    QString from;
    QString text;
    QString clientId;

    QJsonObject toJson() const
    {
        return { { QStringLiteral("room"), room },     { QStringLiteral("id"), QString::fromLatin1(id) },
                 { QStringLiteral("seq"), seq },       { QStringLiteral("ts"), ts },
                 { QStringLiteral("from"), from },     { QStringLiteral("text"), text },
                 { QStringLiteral("clientId"), clientId } };
    }
};

// The protocol's error codes.
enum class ErrorCode { BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, RateLimited,
                       Unavailable, Internal };

QString errorCodeName(ErrorCode code);

} // namespace Confab::Chat
