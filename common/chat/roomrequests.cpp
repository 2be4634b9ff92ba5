#include "chat/roomrequests.h"

#include "chat/requestparsing.h"

#include <QJsonArray>

namespace Confab::Chat {

using namespace Parsing;

namespace {

std::optional<Error> checkUser(const QString &user)
{
    if (!isValidUsername(user))
        return badRequest(QStringLiteral("user must match %1").arg(QLatin1String(UsernamePattern)));
    return std::nullopt;
}

// {room, user}, both valid: what invite, kick, ban and role share.
std::optional<Error> checkRoomAndUser(const QJsonObject &payload)
{
    if (auto error = checkRoomReference(string(payload, QLatin1StringView("room"))))
        return error;
    return checkUser(string(payload, QLatin1StringView("user")));
}

} // namespace

QJsonObject UpdateRoomRequest::toJson() const
{
    return { { QStringLiteral("room"), room }, { QStringLiteral("topic"), topic } };
}

Result<UpdateRoomRequest> UpdateRoomRequest::fromJson(const QJsonObject &payload)
{
    const QString room = string(payload, QLatin1StringView("room"));
    if (auto error = checkRoomReference(room))
        return *error;
    const QJsonValue topic = payload.value(QLatin1StringView("topic"));
    if (!topic.isString())
        return badRequest(QStringLiteral("topic must be a string"));
    if (topic.toString().size() > MaxTopicLength)
        return Error { ErrorCode::TooLarge, QStringLiteral("topic must be at most %1 characters").arg(MaxTopicLength) };
    return UpdateRoomRequest { room, topic.toString() };
}

QJsonObject RoomUserRequest::toJson() const
{
    return { { QStringLiteral("room"), room }, { QStringLiteral("user"), user } };
}

Result<RoomUserRequest> RoomUserRequest::fromJson(const QJsonObject &payload)
{
    if (auto error = checkRoomAndUser(payload))
        return *error;
    return RoomUserRequest { string(payload, QLatin1StringView("room")), string(payload, QLatin1StringView("user")) };
}

QJsonObject BanRequest::toJson() const
{
    return { { QStringLiteral("room"), room }, { QStringLiteral("user"), user }, { QStringLiteral("on"), on } };
}

Result<BanRequest> BanRequest::fromJson(const QJsonObject &payload)
{
    if (auto error = checkRoomAndUser(payload))
        return *error;
    const QJsonValue on = payload.value(QLatin1StringView("on"));
    if (!on.isBool())
        return badRequest(QStringLiteral("on must be true or false"));
    return BanRequest { string(payload, QLatin1StringView("room")), string(payload, QLatin1StringView("user")),
                        on.toBool() };
}

QJsonObject RoleRequest::toJson() const
{
    return { { QStringLiteral("room"), room },
             { QStringLiteral("user"), user },
             { QStringLiteral("role"), roomRoleName(role) } };
}

Result<RoleRequest> RoleRequest::fromJson(const QJsonObject &payload)
{
    if (auto error = checkRoomAndUser(payload))
        return *error;
    const auto role = roomRoleFromName(string(payload, QLatin1StringView("role")));
    if (!role || *role == RoomRole::Owner)
        return badRequest(QStringLiteral("role must be \"moderator\" or \"member\""));
    return RoleRequest { string(payload, QLatin1StringView("room")), string(payload, QLatin1StringView("user")),
                         *role };
}

QJsonObject DirectoryRequest::toJson() const
{
    QJsonObject payload;
    if (!query.isEmpty())
        payload.insert(QStringLiteral("query"), query);
    if (limit)
        payload.insert(QStringLiteral("limit"), *limit);
    return payload;
}

Result<DirectoryRequest> DirectoryRequest::fromJson(const QJsonObject &payload)
{
    const QJsonValue query = payload.value(QLatin1StringView("query"));
    if (!query.isUndefined() && (!query.isString() || query.toString().size() > MaxTopicLength))
        return badRequest(QStringLiteral("query must be a string of at most %1 characters").arg(MaxTopicLength));
    bool hasLimit = false;
    const auto limit = optionalSeq(payload, QStringLiteral("limit"), &hasLimit);
    if (!limit || (hasLimit && (*limit < 1 || *limit > MaxDirectoryLimit)))
        return badRequest(QStringLiteral("limit: 1 to %1").arg(MaxDirectoryLimit));
    DirectoryRequest request { query.toString().trimmed(), {} };
    if (hasLimit)
        request.limit = int(*limit);
    return request;
}

QJsonObject DirectoryEntry::toJson() const
{
    return { { QStringLiteral("name"), name },
             { QStringLiteral("topic"), topic },
             { QStringLiteral("memberCount"), memberCount },
             { QStringLiteral("lastActivity"), lastActivity } };
}

DirectoryEntry DirectoryEntry::fromJson(const QJsonObject &object)
{
    return { string(object, QLatin1StringView("name")), string(object, QLatin1StringView("topic")),
             object.value(QLatin1StringView("memberCount")).toInteger(),
             object.value(QLatin1StringView("lastActivity")).toInteger() };
}

QJsonObject DirectoryAnswer::toJson() const
{
    QJsonArray list;
    for (const DirectoryEntry &room : rooms)
        list.append(room.toJson());
    return { { QStringLiteral("rooms"), list } };
}

DirectoryAnswer DirectoryAnswer::fromJson(const QJsonObject &answer)
{
    DirectoryAnswer result;
    for (const QJsonValue &room : answer.value(QLatin1StringView("rooms")).toArray())
        result.rooms.append(DirectoryEntry::fromJson(room.toObject()));
    return result;
}

} // namespace Confab::Chat
