// Chat protocol v1 names and limits, and the checks every payload passes before it
// reaches the chat service. See docs/PROTOCOL.md.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Confab::Chat {

inline constexpr int MaxTextLength = 4000;     // characters (code points)
inline constexpr int MaxTopicLength = 200;
inline constexpr int MaxClientIdLength = 128;
inline constexpr int MaxHistoryLimit = 200;
inline constexpr int MinPasswordBytes = 8;
inline constexpr int MaxPasswordBytes = 1024;

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

// Reads an optional non-negative integer field; nothing when present but not one.
std::optional<qint64> optionalSeq(const QJsonObject &object, const QString &key, bool *present);

} // namespace Confab::Chat
