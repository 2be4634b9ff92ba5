#include "chat/presenceregistry.h"

namespace Confab::Chat {

bool LocalPresence::attach(const QString &user, const QByteArray &connectionId, qint64 nowMs)
{
    Entry &entry = m_users[user];
    const bool first = entry.connections.isEmpty();
    entry.connections.insert(connectionId);
    entry.lastSeen = nowMs;
    if (first) {
        entry.status = QStringLiteral("online");
        if (m_store) // a crash while connected still leaves "last seen" at this login
            m_store->setLastSeen(user, nowMs);
    }
    return first;
}

bool LocalPresence::detach(const QString &user, const QByteArray &connectionId, qint64 nowMs)
{
    auto it = m_users.find(user);
    if (it == m_users.end() || !it->connections.remove(connectionId))
        return false;
    it->lastSeen = nowMs;
    if (!it->connections.isEmpty())
        return false;
    if (m_store)
        m_store->setLastSeen(user, nowMs);
    return true;
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
    if (it == m_users.cend()) // not seen since this process started: ask the store
        return { QStringLiteral("offline"), m_store ? m_store->lastSeen(user) : 0 };
    return { it->connections.isEmpty() ? QStringLiteral("offline") : it->status, it->lastSeen };
}

} // namespace Confab::Chat
