#include "roomlistener.h"

#include "chatsession.h"
#include "clioutput.h"
#include "commands.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Confab::Cli {

using Client::ChatSession;

RoomListener::RoomListener(ChatSession &session, const QStringList &rooms, int count, bool joinFirst)
    : m_session(session), m_rooms(rooms), m_remaining(count), m_joinFirst(joinFirst)
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
    const QJsonObject payload { { QStringLiteral("room"), room }, { QStringLiteral("limit"), 1 } };
    m_session.request(QStringLiteral("history:fetch"), payload, [this, room](const QJsonObject &answer) {
        if (m_remaining == 0)
            return; // done already (another room's page): its exit code stands
        const QString code = errorCode(answer);
        if (answer.value(QStringLiteral("ok")).toBool())
            return ready();
        if (m_joinFirst && (code == QLatin1String("forbidden") || code == QLatin1String("not_found")))
            return join(room);
        const QString hint = code == QLatin1String("forbidden") ? QStringLiteral(" (--join joins it first)") : QString();
        quitWith(Failed, QStringLiteral("%1: %2%3").arg(room, refusal(answer), hint));
    });
}

void RoomListener::join(const QString &room)
{
    joinOrCreate(m_session, room, [this, room](const QJsonObject &answer) {
        if (!answer.value(QStringLiteral("ok")).toBool())
            return quitWith(Failed, refusal(answer));
        const QJsonObject payload { { QStringLiteral("room"), room }, { QStringLiteral("limit"), ChatSession::HistoryPageSize } };
        m_session.request(QStringLiteral("history:fetch"), payload, [this](const QJsonObject &page) {
            QList<QJsonObject> messages;
            for (const QJsonValue &m : page.value(QStringLiteral("messages")).toArray())
                messages.append(m.toObject());
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
