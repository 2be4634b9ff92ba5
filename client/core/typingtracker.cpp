#include "typingtracker.h"

#include "chatsession.h"

#include <QTimerEvent>

namespace Confab::Client {

TypingTracker::TypingTracker(ChatSession *session, QObject *parent)
    : QObject(parent)
{
    connect(session, &ChatSession::typingReceived, this, [this, session](const Chat::TypingEvent &event) {
        if (event.user != session->user())
            set(event.room, event.user, event.active);
    });
    connect(session, &ChatSession::messageReceived, this, [this](const QJsonObject &message) {
        set(message.value(QStringLiteral("room")).toString(), message.value(QStringLiteral("from")).toString(), false);
    });
    connect(session, &ChatSession::onlineChanged, this, [this](bool online) {
        if (online)
            return;
        // Offline we hear no "stopped": clear everything rather than show stale typists.
        const QStringList rooms = m_rooms.keys();
        m_rooms.clear();
        for (const QString &room : rooms)
            Q_EMIT typingChanged(room);
    });
}

QStringList TypingTracker::typingIn(const QString &room) const
{
    QStringList users;
    for (const Typist &typist : m_rooms.value(room))
        users.append(typist.user);
    return users;
}

void TypingTracker::set(const QString &room, const QString &user, bool active)
{
    QList<Typist> &typists = m_rooms[room];
    auto it = std::find_if(typists.begin(), typists.end(), [&](const Typist &typist) { return typist.user == user; });
    const bool known = it != typists.end();
    if (active) {
        if (known)
            it->expires.setRemainingTime(ExpiryMs);
        else
            typists.append({ user, QDeadlineTimer(ExpiryMs) });
        if (!m_expiryTimer.isActive())
            m_expiryTimer.start(1000, this);
    } else if (known) {
        typists.erase(it);
    }
    if (typists.isEmpty())
        m_rooms.remove(room);
    if (active != known)
        Q_EMIT typingChanged(room);
}

void TypingTracker::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_expiryTimer.timerId())
        return QObject::timerEvent(event);
    for (auto room = m_rooms.begin(); room != m_rooms.end();) {
        const auto before = room->size();
        room->removeIf([](const Typist &typist) { return typist.expires.hasExpired(); });
        const QString name = room.key();
        const bool changed = room->size() != before;
        room = room->isEmpty() ? m_rooms.erase(room) : std::next(room);
        if (changed)
            Q_EMIT typingChanged(name);
    }
    if (m_rooms.isEmpty())
        m_expiryTimer.stop();
}

} // namespace Confab::Client
