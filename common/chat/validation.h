// The checks every chat payload passes before it reaches the chat service (the limits
// are in limits.h). See docs/PROTOCOL.md.
#pragma once

#include "chat/limits.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Confab::Chat {

bool isValidUsername(const QString &name);
bool isValidPassword(const QString &password);
// A name room:create accepts.
bool isValidRoomName(const QString &name);
// The direct-message room of two users: "dm:<a>:<b>" with a < b.
QString directRoomName(const QString &userA, const QString &userB);
bool isDirectRoomName(const QString &name);
// Any name a room event accepts: a created room or a DM room.
bool isValidRoomReference(const QString &name);
// 1..MaxTextLength characters, no unpaired surrogates (the JSON parser already
// rejected invalid UTF-8 bytes).
bool isValidText(const QString &text);

// A message id as the server makes them: 1..MaxMessageIdLength of [A-Za-z0-9_-].
bool isValidMessageId(const QString &id);
// 1..MaxEmojiBytes of UTF-8, no whitespace, no control characters.
bool isValidEmoji(const QString &emoji);
// The names written as @name in text (whole words, lower-cased, each once, in order of
// appearance); which of them are members is for the server to say.
QStringList mentionedNames(const QString &text);

// Reads an optional non-negative integer field; nothing when present but not one.
std::optional<qint64> optionalSeq(const QJsonObject &object, const QString &key, bool *present);

} // namespace Confab::Chat
