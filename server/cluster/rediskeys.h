// Every Redis key and channel the cluster uses, in one place (docs/ARCHITECTURE.md
// lists them). All start with "confab:" so a Redis can be shared.
#pragma once

#include <QByteArray>
#include <QString>

namespace Confab::Cluster::Keys {

inline QByteArray key(const char *kind, const QString &name)
{
    return QByteArray("confab:") + kind + ':' + name.toUtf8();
}

inline QByteArray users()
{
    return "confab:users";
}
inline QByteArray user(const QString &name)
{
    return key("user", name);
}
inline QByteArray rooms()
{
    return "confab:rooms";
}
inline QByteArray room(const QString &name)
{
    return key("room", name);
}
inline QByteArray members(const QString &room)
{
    return key("members", room);
}
inline QByteArray roomsOf(const QString &user)
{
    return key("roomsof", user);
}
inline QByteArray messages(const QString &room)
{
    return key("msgs", room);
}
inline QByteArray sent(const QString &user)
{
    return key("sent", user);
} // clientId -> message
inline QByteArray receipts(const QString &room)
{
    return key("receipts", room);
}

// Presence: per user the nodes holding a connection, and the user's status.
inline QByteArray presenceNodes(const QString &user)
{
    return key("pnodes", user);
}
inline QByteArray presence(const QString &user)
{
    return key("presence", user);
}
inline QByteArray nodes()
{
    return "confab:nodes";
}
inline QByteArray nodeAlive(const QString &node)
{
    return key("alive", node);
}
inline QByteArray nodeUsers(const QString &node)
{
    return key("nodeusers", node);
}

// Pub/sub: one channel per room (only nodes with members subscribe), one for all.
inline QByteArray roomChannel(const QString &room)
{
    return key("r", room);
}
inline QByteArray allChannel()
{
    return "confab:all";
}

} // namespace Confab::Cluster::Keys
