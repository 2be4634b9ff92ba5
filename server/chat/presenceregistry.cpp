#include "chat/presenceregistry.h"

namespace Confab::Chat {

bool LocalPresence::attach(const QString &user, const QByteArray &connectionId, qint64 nowMs)
{
    Entry &entry = m_users[user];
    const bool first = entry.connections.isEmpty();
    entry.connections.insert(connectionId);
    entry.lastSeen = nowMs;
    if (first)
        entry.status = QStringLiteral("online");
    return first;
}

bool LocalPresence::detach(const QString &user, const QByteArray &connectionId, qint64 nowMs)
{
    auto it = m_users.find(user);
    if (it == m_users.end() || !it->connections.remove(connectionId))
        return false;
    it->lastSeen = nowMs;
    return it->connections.isEmpty();
}

void LocalPresence::setStatus(const QString &user, const QString &status)
{
    auto it = m_users.find(user);
    if (it != m_users.end() && !it->connections.isEmpty())
        it->status = status;
}

PresenceState LocalPresence::state(const QString &user) const
{
    const auto it = m_users.constFind(user);
    if (it == m_users.cend())
        return {};
    return { it->connections.isEmpty() ? QStringLiteral("offline") : it->status, it->lastSeen };
}

} // namespace Confab::Chat
