// ChatService: presence:set, presence:get, typing, and publishing a user's presence to
// the rooms they are in.
#include "chat/chatservice.h"

#include "chat/events.h"
#include "realtime/socket.h"

namespace Confab::Chat {

ChatService::Reply ChatService::typing(const Caller &caller, const TypingRequest &request)
{
    if (auto error = checkMember(caller.user, request.room))
        return *error;
    const TypingEvent event { request.room, caller.user, request.active };
    m_bus->publish({ { request.room }, Event::Typing, event.toJson(), caller.socket->id() });
    return QJsonObject {};
}

ChatService::Reply ChatService::setPresence(const Caller &caller, const SetPresenceRequest &request)
{
    if (m_presence->state(caller.user).status != request.status) {
        m_presence->setStatus(caller.user, request.status);
        publishPresence(caller.user);
    }
    return QJsonObject {};
}

ChatService::Reply ChatService::getPresence(const Caller &, const GetPresenceRequest &request)
{
    if (request.users.size() > m_options.maxPresenceQuery)
        return Error { ErrorCode::TooLarge,
                       QStringLiteral("at most %1 users per query").arg(m_options.maxPresenceQuery) };
    PresenceAnswer answer;
    for (const QString &user : request.users)
        answer.presence.insert(user, m_presence->state(user));
    return answer.toJson();
}

void ChatService::publishPresence(const QString &user)
{
    const QList<RoomRecord> rooms = m_store->roomsOf(user);
    if (!m_store->isAvailable()) {
        m_presencePending.insert(user); // announced when the store is back
        return;
    }
    QStringList names;
    for (const RoomRecord &room : rooms)
        names.append(room.name);
    if (names.isEmpty())
        return;
    m_bus->publish({ names, Event::Presence, PresenceEvent { user, m_presence->state(user) }.toJson(), {} });
}

void ChatService::announcePresence(const QStringList &users)
{
    for (const QString &user : users)
        publishPresence(user);
}

void ChatService::storeRecovered()
{
    const QSet<QString> pending = std::exchange(m_presencePending, {});
    for (const QString &user : pending)
        publishPresence(user);
}

} // namespace Confab::Chat
