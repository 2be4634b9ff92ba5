// `listen`: prints the rooms' messages as the session hears them (the resync's catch-up
// included) until `count`. A room the user is not in would stay silent, so each room is
// checked first with history:fetch, whose refusal (forbidden, or not_found) is the
// server's own; with --join such a room is joined, and its newest page printed as the
// resync prints a room this device has not seen.
#pragma once

#include <QJsonObject>
#include <QStringList>

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Cli {

class RoomListener
{
public:
    RoomListener(Client::ChatSession &session, const QStringList &rooms, int count, bool joinFirst);

    void print(const QJsonObject &message);
    // Once synced.
    void start();

private:
    void check(const QString &room);
    void join(const QString &room);
    void ready();

    Client::ChatSession &m_session;
    const QStringList m_rooms;
    int m_remaining; // -1: no --count
    const bool m_joinFirst;
    int m_unchecked = 0;
};

} // namespace Confab::Cli
