// Who is connected, and with which status. A user is online while any of their
// connections is; only the first connection (0→1) and the last (1→0) are transitions.
#pragma once

#include "chat/values.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace Confab::Chat {

// A user's status (online, away, busy, offline) and when they were last seen.
using PresenceState = PresenceInfo;

class PresenceRegistry
{
public:
    virtual ~PresenceRegistry() = default;
    // True when this is the user's first connection.
    virtual bool attach(const QString &user, const QByteArray &connectionId, qint64 nowMs) = 0;
    // True when this was the user's last connection.
    virtual bool detach(const QString &user, const QByteArray &connectionId, qint64 nowMs) = 0;
    virtual void setStatus(const QString &user, const QString &status) = 0;
    virtual PresenceState state(const QString &user) const = 0;
};

// Where the embedded registry keeps "last seen", so it survives a restart.
class LastSeenStore
{
public:
    virtual ~LastSeenStore() = default;
    virtual qint64 lastSeen(const QString &user) = 0; // 0 = never
    virtual void setLastSeen(const QString &user, qint64 nowMs) = 0;
};

// The embedded registry: this process's connections only; "last seen" also in `store`.
class LocalPresence final : public PresenceRegistry
{
public:
    explicit LocalPresence(LastSeenStore *store = nullptr)
        : m_store(store)
    {
    }
    bool attach(const QString &user, const QByteArray &connectionId, qint64 nowMs) override;
    bool detach(const QString &user, const QByteArray &connectionId, qint64 nowMs) override;
    void setStatus(const QString &user, const QString &status) override;
    PresenceState state(const QString &user) const override;

private:
    struct Entry
    {
        QSet<QByteArray> connections;
        QString status = QStringLiteral("online");
        qint64 lastSeen = 0;
    };
    LastSeenStore *m_store;
    QHash<QString, Entry> m_users;
};

} // namespace Confab::Chat
