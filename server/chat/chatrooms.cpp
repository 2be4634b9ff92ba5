// ChatService: room:create, room:join, room:leave, room:list, dm:open, and the
// membership of local sockets in room channels.
#include "chat/chatservice.h"

#include "chat/channels.h"
#include "chat/events.h"
#include "chat/validation.h"
#include "realtime/namespace.h"
#include "realtime/socket.h"

namespace Confab::Chat {

using Realtime::Socket;

std::optional<Error> ChatService::checkMember(const QString &user, const QString &room)
{
    // The user's sockets here joined the room's channel when they became a member:
    // that answers without a store round trip (and while the store is unreachable).
    for (Socket *socket : m_namespace->socketsIn(userChannel(user))) {
        const auto connection = m_connections.constFind(socket);
        if (connection != m_connections.cend() && connection->rooms.contains(room))
            return std::nullopt;
    }
    if (!m_store->isMember(room, user)) {
        if (!m_store->findRoom(room))
            return Error { ErrorCode::NotFound, QStringLiteral("no such room") };
        return Error { ErrorCode::Forbidden, QStringLiteral("not a member of this room") };
    }
    return std::nullopt;
}

Room ChatService::roomOf(const RoomRecord &record)
{
    Room room { record.name, record.topic, {}, record.visibility };
    // A direct-message room has no roles: its members' entries carry none.
    const QHash<QString, RoomRole> roles = record.isDirect ? QHash<QString, RoomRole> {} : m_store->roles(record.name);
    for (const QString &member : m_store->members(record.name)) {
        std::optional<RoomRole> role;
        if (!record.isDirect)
            role = roles.value(member, RoomRole::Member);
        room.members.append({ member, m_presence->state(member).status, role });
    }
    return room;
}

ChatService::Reply ChatService::createRoom(const Caller &caller, const CreateRoomRequest &request)
{
    if (m_store->roomsOf(caller.user).size() >= m_options.maxRoomsPerUser)
        return Error { ErrorCode::Forbidden, QStringLiteral("too many rooms") };
    const RoomRecord room { request.room, request.topic, false, 0, 0, request.visibility };
    if (!m_store->createRoom(room))
        return Error { ErrorCode::Conflict, QStringLiteral("room exists") };
    m_store->addMember(room.name, caller.user);
    m_store->setRole(room.name, caller.user, RoomRole::Owner); // the creator owns it
    joinUserSockets(caller.user, room.name);
    return RoomAnswer { roomOf(room) }.toJson();
}

ChatService::Reply ChatService::joinRoom(const Caller &caller, const RoomRequest &request)
{
    const QString &name = request.room;
    const auto room = m_store->findRoom(name);
    if (!room)
        return Error { ErrorCode::NotFound, QStringLiteral("no such room") };
    const bool member = m_store->isMember(name, caller.user);
    if (room->isDirect && !member)
        return Error { ErrorCode::Forbidden, QStringLiteral("a direct-message room is private") };
    if (!member && m_store->isBanned(name, caller.user))
        return Error { ErrorCode::Forbidden, QStringLiteral("you are banned from this room") };
    if (!member && room->visibility == Visibility::Private)
        return Error { ErrorCode::Forbidden, QStringLiteral("a private room: a member must invite you") };
    if (!member) {
        if (m_store->roomsOf(caller.user).size() >= m_options.maxRoomsPerUser)
            return Error { ErrorCode::Forbidden, QStringLiteral("too many rooms") };
        if (m_store->memberCount(name) >= m_options.maxMembersPerRoom)
            return Error { ErrorCode::Forbidden, QStringLiteral("the room is full") };
        m_store->addMember(name, caller.user);
        joinUserSockets(caller.user, name);
        m_bus->publish(
            { { name }, Event::Member, MemberEvent { name, caller.user, MemberAction::Joined }.toJson(), {} });
    } else {
        joinUserSockets(caller.user, name);
    }
    return JoinRoomAnswer { roomOf(*room), room->lastSeq, room->lastRev }.toJson();
}

ChatService::Reply ChatService::leaveRoom(const Caller &caller, const RoomRequest &request)
{
    const QString &name = request.room;
    if (auto error = checkMember(caller.user, name))
        return *error;
    if (isDirectRoomName(name))
        return Error { ErrorCode::Forbidden, QStringLiteral("a direct-message room cannot be left") };
    const bool wasOwner = m_store->roleOf(name, caller.user) == RoomRole::Owner;
    m_bus->publish({ { name }, Event::Member, MemberEvent { name, caller.user, MemberAction::Left }.toJson(), {} });
    m_store->removeMember(name, caller.user);
    leaveUserSockets(caller.user, name);
    if (wasOwner)
        handOverOwnership(name);
    return QJsonObject {};
}

ChatService::Reply ChatService::listRooms(const Caller &caller, const ListRoomsRequest &)
{
    RoomListAnswer answer;
    const QHash<QString, Store::ReadState> reads = m_store->readStates(caller.user);
    for (const RoomRecord &room : m_store->roomsOf(caller.user)) {
        const Store::ReadState read = reads.value(room.name);
        answer.rooms.append({ room.name, room.topic, room.lastSeq, room.lastRev, read.readSeq, read.unread,
                              read.mentions, room.visibility });
    }
    return answer.toJson();
}

ChatService::Reply ChatService::openDirect(const Caller &caller, const OpenDirectRequest &request)
{
    const QString &other = request.user;
    if (other == caller.user)
        return Error { ErrorCode::BadRequest, QStringLiteral("user must be another user") };
    const auto otherRecord = m_store->findUser(other);
    if (!otherRecord || otherRecord->disabled)
        return Error { ErrorCode::NotFound, QStringLiteral("no such user") };
    const QString name = directRoomName(caller.user, other);
    RoomRecord room { name, QString(), true, 0, 0, Visibility::Private };
    m_store->createRoom(room);
    for (const QString &member : { caller.user, other }) {
        if (m_store->addMember(name, member))
            joinUserSockets(member, name);
    }
    if (auto existing = m_store->findRoom(name))
        room = *existing;
    return RoomAnswer { roomOf(room) }.toJson();
}

void ChatService::joinChannel(Socket *socket, const QString &room)
{
    auto connection = m_connections.find(socket);
    if (connection == m_connections.end() || connection->rooms.contains(room))
        return;
    connection->rooms.insert(room);
    socket->join(roomChannel(room));
    if (++m_roomSockets[room] == 1)
        m_bus->watchRoom(room);
}

void ChatService::leaveChannel(Socket *socket, const QString &room)
{
    auto connection = m_connections.find(socket);
    if (connection == m_connections.end() || !connection->rooms.remove(room))
        return;
    socket->leave(roomChannel(room));
    releaseRoomSocket(room);
}

// The room's last local socket gone: the node stops following it.
void ChatService::releaseRoomSocket(const QString &room)
{
    if (--m_roomSockets[room] > 0)
        return;
    m_roomSockets.remove(room);
    m_bus->unwatchRoom(room);
    m_readOrder.forgetRoom(room);
}

// The user's sockets here join at once (so the next event reaches them); those on
// other nodes join when the control envelope arrives there.
void ChatService::joinUserSockets(const QString &user, const QString &room)
{
    const QJsonObject change { { QStringLiteral("user"), user }, { QStringLiteral("room"), room } };
    applyControl({ {}, QStringLiteral("$join"), change, {} });
    m_bus->publish({ {}, QStringLiteral("$join"), change, {} });
}

void ChatService::leaveUserSockets(const QString &user, const QString &room)
{
    const QJsonObject change { { QStringLiteral("user"), user }, { QStringLiteral("room"), room } };
    applyControl({ {}, QStringLiteral("$leave"), change, {} });
    m_bus->publish({ {}, QStringLiteral("$leave"), change, {} });
}

void ChatService::applyControl(const Envelope &envelope)
{
    const QString user = envelope.payload.value(QStringLiteral("user")).toString();
    const QString room = envelope.payload.value(QStringLiteral("room")).toString();
    const bool join = envelope.event == QLatin1String("$join");
    for (Socket *socket : m_namespace->socketsIn(userChannel(user)))
        join ? joinChannel(socket, room) : leaveChannel(socket, room);
}

} // namespace Confab::Chat
