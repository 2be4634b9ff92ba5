// ChatService: running a room (protocol v2 part 2) — room:update, room:invite, room:kick,
// room:ban, room:role — and the public directory (room:directory). Who may do what is
// the contract's table (docs/PROTOCOL.md, "Rooms and roles").
#include "chat/chatservice.h"

#include "chat/events.h"
#include "chat/validation.h"

namespace Confab::Chat {

namespace {

bool moderates(RoomRole role)
{
    return role == RoomRole::Owner || role == RoomRole::Moderator;
}

Error forbidden(const QString &why)
{
    return { ErrorCode::Forbidden, why };
}

Error noSuchUser()
{
    return { ErrorCode::NotFound, QStringLiteral("no such user") };
}

} // namespace

Result<ChatService::RoomAndRole> ChatService::roomAndRole(const QString &user, const QString &name)
{
    if (isDirectRoomName(name))
        return forbidden(QStringLiteral("a direct-message room has no roles"));
    const auto room = m_store->findRoom(name);
    if (!room)
        return Error { ErrorCode::NotFound, QStringLiteral("no such room") };
    const auto role = m_store->roleOf(name, user);
    if (!role)
        return forbidden(QStringLiteral("not a member of this room"));
    return RoomAndRole { *room, *role };
}

ChatService::Reply ChatService::updateRoom(const Caller &caller, const UpdateRoomRequest &request)
{
    const auto context = roomAndRole(caller.user, request.room);
    if (!context)
        return context.error();
    if (!moderates(context.value().role))
        return forbidden(QStringLiteral("only the owner or a moderator may change the topic"));
    if (!m_store->setTopic(request.room, request.topic))
        return Error { ErrorCode::Unavailable, QStringLiteral("could not store the topic; retry") };
    RoomRecord room = context.value().room;
    room.topic = request.topic;
    const Room changed = roomOf(room);
    m_bus->publish({ { room.name }, Event::Room, changed.toJson(), {} });
    return RoomAnswer { changed }.toJson();
}

ChatService::Reply ChatService::inviteMember(const Caller &caller, const RoomUserRequest &request)
{
    const auto context = roomAndRole(caller.user, request.room);
    if (!context)
        return context.error();
    if (context.value().room.visibility == Visibility::Private && !moderates(context.value().role))
        return forbidden(QStringLiteral("only the owner or a moderator may invite to a private room"));
    const auto invitee = m_store->findUser(request.user);
    if (!invitee || invitee->disabled)
        return noSuchUser();
    if (m_store->isBanned(request.room, request.user))
        return forbidden(QStringLiteral("the user is banned from this room"));
    if (m_store->isMember(request.room, request.user))
        return QJsonObject {}; // already in: nothing to do
    if (m_store->roomsOf(request.user).size() >= m_options.maxRoomsPerUser)
        return forbidden(QStringLiteral("the user is in too many rooms"));
    if (m_store->memberCount(request.room) >= m_options.maxMembersPerRoom)
        return forbidden(QStringLiteral("the room is full"));
    if (!m_store->addMember(request.room, request.user))
        return Error { ErrorCode::Unavailable, QStringLiteral("could not store the membership; retry") };
    joinUserSockets(request.user, request.room);
    publishMember(request.room, request.user, MemberAction::Invited, caller.user);
    return QJsonObject {};
}

ChatService::Reply ChatService::kickMember(const Caller &caller, const RoomUserRequest &request)
{
    const auto context = roomAndRole(caller.user, request.room);
    if (!context)
        return context.error();
    if (!moderates(context.value().role))
        return forbidden(QStringLiteral("only the owner or a moderator may kick"));
    if (request.user == caller.user)
        return forbidden(QStringLiteral("to leave a room, use room:leave"));
    const auto role = m_store->roleOf(request.room, request.user);
    if (!role)
        return Error { ErrorCode::NotFound, QStringLiteral("the user is not a member of this room") };
    if (*role == RoomRole::Owner)
        return forbidden(QStringLiteral("the owner cannot be kicked"));
    if (!m_store->removeMember(request.room, request.user))
        return Error { ErrorCode::Unavailable, QStringLiteral("could not store the change; retry") };
    leaveUserSockets(request.user, request.room);
    publishMember(request.room, request.user, MemberAction::Kicked, caller.user);
    return QJsonObject {};
}

ChatService::Reply ChatService::banUser(const Caller &caller, const BanRequest &request)
{
    const auto context = roomAndRole(caller.user, request.room);
    if (!context)
        return context.error();
    if (!moderates(context.value().role))
        return forbidden(QStringLiteral("only the owner or a moderator may ban"));
    if (request.user == caller.user)
        return forbidden(QStringLiteral("you cannot ban yourself"));
    if (!m_store->findUser(request.user))
        return noSuchUser();
    const auto role = m_store->roleOf(request.room, request.user);
    if (request.on && role == RoomRole::Owner)
        return forbidden(QStringLiteral("the owner cannot be banned"));
    if (!m_store->setBanned(request.room, request.user, request.on))
        return Error { ErrorCode::Unavailable, QStringLiteral("could not store the ban; retry") };
    if (!request.on)
        return QJsonObject {};
    // Banned first, then out: a join racing the kick finds the ban.
    if (role) {
        m_store->removeMember(request.room, request.user);
        leaveUserSockets(request.user, request.room);
    }
    publishMember(request.room, request.user, MemberAction::Banned, caller.user);
    return QJsonObject {};
}

ChatService::Reply ChatService::setMemberRole(const Caller &caller, const RoleRequest &request)
{
    const auto context = roomAndRole(caller.user, request.room);
    if (!context)
        return context.error();
    if (context.value().role != RoomRole::Owner)
        return forbidden(QStringLiteral("only the owner may change roles"));
    if (request.user == caller.user)
        return forbidden(QStringLiteral("the owner's role is not changed this way"));
    if (!m_store->isMember(request.room, request.user))
        return Error { ErrorCode::NotFound, QStringLiteral("the user is not a member of this room") };
    if (!m_store->setRole(request.room, request.user, request.role))
        return Error { ErrorCode::Unavailable, QStringLiteral("could not store the role; retry") };
    publishRoom(request.room);
    return QJsonObject {};
}

ChatService::Reply ChatService::listDirectory(const Caller &, const DirectoryRequest &request)
{
    return DirectoryAnswer { m_store->directory(request.query, request.limit.value_or(DefaultDirectoryLimit)) }
        .toJson();
}

std::optional<Room> ChatService::describeRoom(const QString &name)
{
    const auto room = m_store->findRoom(name);
    if (!room)
        return std::nullopt;
    return roomOf(*room);
}

std::optional<Error> ChatService::assignOwner(const QString &name, const QString &user)
{
    if (isDirectRoomName(name))
        return forbidden(QStringLiteral("a direct-message room has no owner"));
    if (!m_store->findRoom(name))
        return Error { ErrorCode::NotFound, QStringLiteral("no such room") };
    const auto account = m_store->findUser(user);
    if (!account || account->disabled)
        return noSuchUser();
    m_store->setBanned(name, user, false);
    if (m_store->addMember(name, user)) {
        joinUserSockets(user, name);
        publishMember(name, user, MemberAction::Joined);
    }
    if (!m_store->setRole(name, user, RoomRole::Owner))
        return Error { ErrorCode::Unavailable, QStringLiteral("could not store the role; retry") };
    publishRoom(name);
    return std::nullopt;
}

void ChatService::publishMember(const QString &room, const QString &user, MemberAction action, const QString &by)
{
    // To the user's connections as well: a kicked user has left the room's channel by
    // now, an invited one's nodes may not follow the room yet.
    m_bus->publish({ { room }, Event::Member, MemberEvent { room, user, action, by }.toJson(), {}, { user } });
}

void ChatService::publishRoom(const QString &name)
{
    if (const auto room = m_store->findRoom(name))
        m_bus->publish({ { name }, Event::Room, roomOf(*room).toJson(), {} });
}

void ChatService::handOverOwnership(const QString &room)
{
    const QHash<QString, RoomRole> roles = m_store->roles(room);
    QStringList moderators;
    for (auto it = roles.cbegin(); it != roles.cend(); ++it) {
        if (it.value() == RoomRole::Owner)
            return; // someone owns it already
        moderators.append(it.key());
    }
    moderators.sort();
    const QStringList members = m_store->members(room); // by name
    const QString heir = !moderators.isEmpty() ? moderators.first() : members.value(0);
    if (!heir.isEmpty() && m_store->setRole(room, heir, RoomRole::Owner))
        publishRoom(room);
}

} // namespace Confab::Chat
