// The chat protocol's event names (namespace "/"). Client and server use these, never
// string literals. See docs/PROTOCOL.md.
#pragma once

#include <QString>

namespace Confab::Chat::Event {

// Client to server; every one takes an ack.
inline const QString RoomCreate = QStringLiteral("room:create");
inline const QString RoomJoin = QStringLiteral("room:join");
inline const QString RoomLeave = QStringLiteral("room:leave");
inline const QString RoomList = QStringLiteral("room:list");
inline const QString DirectOpen = QStringLiteral("dm:open");
inline const QString MessageSend = QStringLiteral("message:send");
inline const QString HistoryFetch = QStringLiteral("history:fetch");
inline const QString Receipt = QStringLiteral("receipt"); // also server to client
inline const QString Typing = QStringLiteral("typing");   // also server to client
inline const QString PresenceSet = QStringLiteral("presence:set");
inline const QString PresenceGet = QStringLiteral("presence:get");
inline const QString MessageEdit = QStringLiteral("message:edit");
inline const QString MessageDelete = QStringLiteral("message:delete");
inline const QString ReactionSet = QStringLiteral("reaction:set");
inline const QString UpdatesFetch = QStringLiteral("updates:fetch");
inline const QString RoomReads = QStringLiteral("room:reads");
inline const QString Search = QStringLiteral("search");
inline const QString RoomUpdate = QStringLiteral("room:update");
inline const QString RoomInvite = QStringLiteral("room:invite");
inline const QString RoomKick = QStringLiteral("room:kick");
inline const QString RoomBan = QStringLiteral("room:ban");
inline const QString RoomRole = QStringLiteral("room:role");
inline const QString RoomDirectory = QStringLiteral("room:directory");

// Server to client.
inline const QString Message = QStringLiteral("message");
inline const QString Presence = QStringLiteral("presence");
inline const QString Member = QStringLiteral("member");
inline const QString Announcement = QStringLiteral("announcement");
inline const QString ServerAdvice = QStringLiteral("server:advice");
inline const QString MessageUpdate = QStringLiteral("message:update");
inline const QString Read = QStringLiteral("read");
inline const QString Room = QStringLiteral("room"); // a room changed: topic, roles

} // namespace Confab::Chat::Event
