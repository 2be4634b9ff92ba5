#include "chat/validation.h"

#include <QRegularExpression>

namespace Confab::Chat {

bool isValidUsername(const QString &name)
{
    static const QRegularExpression pattern(QString::fromLatin1(UsernamePattern));
    return pattern.match(name).hasMatch();
}

bool isValidPassword(const QString &password)
{
    const qsizetype bytes = password.toUtf8().size();
    return bytes >= MinPasswordBytes && bytes <= MaxPasswordBytes;
}

bool isValidRoomName(const QString &name)
{
    static const QRegularExpression pattern(QString::fromLatin1(RoomNamePattern));
    return pattern.match(name).hasMatch();
}

QString directRoomName(const QString &userA, const QString &userB)
{
    return userA < userB ? QStringLiteral("dm:%1:%2").arg(userA, userB) : QStringLiteral("dm:%1:%2").arg(userB, userA);
}

bool isDirectRoomName(const QString &name)
{
    const QStringList parts = name.split(QLatin1Char(':'));
    return parts.size() == 3 && parts[0] == QLatin1String("dm") && isValidUsername(parts[1])
        && isValidUsername(parts[2]) && parts[1] < parts[2];
}

bool isValidRoomReference(const QString &name)
{
    return isValidRoomName(name) || isDirectRoomName(name);
}

bool isValidText(const QString &text)
{
    if (text.isEmpty())
        return false;
    qsizetype codePoints = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
        if (++codePoints > MaxTextLength)
            return false;
    }
    return true;
}

std::optional<qint64> optionalSeq(const QJsonObject &object, const QString &key, bool *present)
{
    const QJsonValue value = object.value(key);
    *present = !value.isUndefined() && !value.isNull();
    if (!*present)
        return qint64(0);
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number != double(qint64(number)) || number > MaxSafeInteger)
        return std::nullopt;
    return qint64(number);
}

} // namespace Confab::Chat
