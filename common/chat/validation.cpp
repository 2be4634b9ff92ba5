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

bool isValidMessageId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,%1}$").arg(MaxMessageIdLength));
    return pattern.match(id).hasMatch();
}

bool isValidEmoji(const QString &emoji)
{
    const qsizetype bytes = emoji.toUtf8().size();
    if (bytes < 1 || bytes > MaxEmojiBytes)
        return false;
    for (qsizetype i = 0; i < emoji.size(); ++i) {
        const char32_t c = emoji.at(i).isHighSurrogate() && i + 1 < emoji.size()
            ? QChar::surrogateToUcs4(emoji.at(i), emoji.at(i + 1))
            : emoji.at(i).unicode();
        if (QChar::isSpace(c) || QChar::category(c) == QChar::Other_Control
            || (QChar::isSurrogate(c)
                && !(emoji.at(i).isHighSurrogate() && i + 1 < emoji.size() && emoji.at(i + 1).isLowSurrogate())))
            return false;
        if (c > 0xffff)
            ++i;
    }
    return true;
}

QStringList mentionedNames(const QString &text)
{
    if (!text.contains(QLatin1Char('@')))
        return {}; // most messages: no regular expression run
    // "@name" not preceded by a word character (so mail addresses are not mentions),
    // the name ending where username characters end.
    static const QRegularExpression pattern(QStringLiteral("(?<![\\w@.])@([A-Za-z0-9_.-]{2,32})(?![A-Za-z0-9_-])"));
    QStringList names;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text)) {
        QString name = match.captured(1).toLower();
        while (name.endsWith(QLatin1Char('.'))) // "@bob." at the end of a sentence
            name.chop(1);
        if (isValidUsername(name) && !names.contains(name))
            names.append(name);
    }
    return names;
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
