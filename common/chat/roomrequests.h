// Protocol v2 part 2's room administration: topic updates, invites, kicks, bans, roles
// and the public directory. Each reads its payload as requests.h's do.
#pragma once

#include "chat/errors.h"
#include "chat/values.h"

#include <QJsonObject>

#include <optional>

namespace Confab::Chat {

// room:update {room, topic} → {room: Room}
struct UpdateRoomRequest
{
    QString room {};
    QString topic {};

    QJsonObject toJson() const;
    static Result<UpdateRoomRequest> fromJson(const QJsonObject &payload);
};

// room:invite and room:kick {room, user} → {}
struct RoomUserRequest
{
    QString room {};
    QString user {};

    QJsonObject toJson() const;
    static Result<RoomUserRequest> fromJson(const QJsonObject &payload);
};

// room:ban {room, user, on} → {}
struct BanRequest
{
    QString room {};
    QString user {};
    bool on = true;

    QJsonObject toJson() const;
    static Result<BanRequest> fromJson(const QJsonObject &payload);
};

// room:role {room, user, role} → {}; role "moderator" or "member" (there is one owner).
struct RoleRequest
{
    QString room {};
    QString user {};
    RoomRole role = RoomRole::Member;

    QJsonObject toJson() const;
    static Result<RoleRequest> fromJson(const QJsonObject &payload);
};

// room:directory {query?, limit?} → {rooms: [DirectoryEntry]}: public rooms whose name or
// topic contains query (case-insensitive).
struct DirectoryRequest
{
    QString query {};
    std::optional<int> limit {};

    QJsonObject toJson() const;
    static Result<DirectoryRequest> fromJson(const QJsonObject &payload);
};

// {name, topic, memberCount, lastActivity}; lastActivity in ms: the last message's time,
// or the room's creation when it has none.
struct DirectoryEntry
{
    QString name {};
    QString topic {};
    qint64 memberCount = 0;
    qint64 lastActivity = 0;

    QJsonObject toJson() const;
    static DirectoryEntry fromJson(const QJsonObject &object);
};

struct DirectoryAnswer
{
    QList<DirectoryEntry> rooms {};

    QJsonObject toJson() const;
    static DirectoryAnswer fromJson(const QJsonObject &answer);
};

} // namespace Confab::Chat
