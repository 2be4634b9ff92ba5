// The Socket.IO rooms the chat service uses: "r:<chat room>" holds the sockets of the
// room's members on this node, "u:<user>" all sockets of a user.
#pragma once

#include <QString>

namespace Confab::Chat {

inline QString roomChannel(const QString &room)
{
    return QLatin1String("r:") + room;
}

inline QString userChannel(const QString &user)
{
    return QLatin1String("u:") + user;
}

} // namespace Confab::Chat
