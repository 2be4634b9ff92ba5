// ChatSession: running a room (protocol v2 part 2) and the public directory.
#include "chatsession.h"

#include "chat/events.h"

namespace Confab::Client {

using namespace Chat;

void ChatSession::updateRoom(const UpdateRoomRequest &request, Callback<RoomAnswer> done)
{
    call(Event::RoomUpdate, request.toJson(), std::move(done));
}

void ChatSession::inviteMember(const QString &room, const QString &user, Callback<Done> done)
{
    call(Event::RoomInvite, RoomUserRequest { room, user }.toJson(), std::move(done));
}

void ChatSession::kickMember(const QString &room, const QString &user, Callback<Done> done)
{
    call(Event::RoomKick, RoomUserRequest { room, user }.toJson(), std::move(done));
}

void ChatSession::banUser(const BanRequest &request, Callback<Done> done)
{
    call(Event::RoomBan, request.toJson(), std::move(done));
}

void ChatSession::setMemberRole(const RoleRequest &request, Callback<Done> done)
{
    call(Event::RoomRole, request.toJson(), std::move(done));
}

void ChatSession::fetchDirectory(const DirectoryRequest &request, Callback<DirectoryAnswer> done)
{
    call(Event::RoomDirectory, request.toJson(), std::move(done));
}

} // namespace Confab::Client
