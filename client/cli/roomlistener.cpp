#include "roomlistener.h"

#include "chatsession.h"
#include "clioutput.h"
#include "commands.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Confab::Cli {

using Client::ChatSession;

RoomListener::RoomListener(ChatSession &session, const QStringList &rooms, int count, bool joinFirst)
    : m_session(session)
    , m_rooms(rooms)
    , m_remaining(count)
    , m_joinFirst(joinFirst)
{
}

void RoomListener::print(const QJsonObject &message)
{
    if (!m_rooms.contains(message.value(QStringLiteral("room")).toString()) || m_remaining == 0)
        return;
    printLine(message);
    if (--m_remaining == 0)
        finishWith(Ok);
}

void RoomListener::start()
{
    if (m_remaining == 0)
        return; // the catch-up was enough
    m_unchecked = int(m_rooms.size());
    for (const QString &room : std::as_const(m_rooms))
        check(room);
}

void RoomListener::check(const QString &room)
{
    // Only a member may read a room: one message of history says whether we are one.
    m_session.fetchHistory({ room, {}, {}, 1 }, [this, room](const Chat::Result<Chat::HistoryAnswer> &answer) {
        if (m_remaining == 0)
            return; // done already (another room's page): its exit code stands
        if (answer)
            return ready();
        const Chat::ErrorCode code = answer.error().code;
        if (m_joinFirst && (code == Chat::ErrorCode::Forbidden || code == Chat::ErrorCode::NotFound))
            return join(room);
        const QString hint
            = code == Chat::ErrorCode::Forbidden ? QStringLiteral(" (--join joins it first)") : QString();
        quitWith(Failed, QStringLiteral("%1: %2%3").arg(room, refusal(answer.error()), hint));
    });
}

void RoomListener::join(const QString &room)
{
    joinOrCreate(m_session, room, [this, room](const Chat::Result<Chat::Room> &joined) {
        if (!joined)
            return quitWith(Failed, refusal(joined.error()));
        const Chat::HistoryRequest newest { room, {}, {}, ChatSession::HistoryPageSize };
        m_session.fetchHistory(newest, [this](const Chat::Result<Chat::HistoryAnswer> &page) {
            QList<QJsonObject> messages;
            if (page) {
                for (const Chat::Message &message : page->messages)
                    messages.append(message.toJson());
            }
            // Those already heard live (and printed) are not new to the cache.
            for (const QJsonObject &message : m_session.localStore()->storeMessages(messages))
                print(message);
            ready();
        });
    });
}

void RoomListener::ready()
{
    if (--m_unchecked == 0 && m_remaining != 0)
        printLine({ { QStringLiteral("listening"), QJsonArray::fromStringList(m_rooms) } });
}

} // namespace Confab::Cli
