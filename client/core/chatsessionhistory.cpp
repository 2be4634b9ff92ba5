// ChatSession: history pages for the views (from the cache when it holds the whole
// page, otherwise from the server) and catching up after a reconnect or a gap.
#include "chatsession.h"

#include "chat/events.h"

#include <QJsonArray>

namespace Confab::Client {

using namespace Confab::Chat;

namespace {

constexpr int HistoryPage = 200; // the server's largest page

QList<QJsonObject> messagesOf(const QJsonObject &historyAnswer)
{
    QList<QJsonObject> page;
    for (const QJsonValue &value : historyAnswer.value(QStringLiteral("messages")).toArray())
        page.append(value.toObject());
    return page;
}

qint64 seqOf(const QJsonObject &message)
{
    return message.value(QStringLiteral("seq")).toInteger();
}

// A page is whole when its seqs are consecutive and it is full, reaches seq 1, or (for a
// page below `beforeSeq`) ends right below it.
bool isWholePage(const QList<QJsonObject> &page, qint64 beforeSeq, int limit)
{
    for (int i = 1; i < page.size(); ++i) {
        if (seqOf(page[i]) != seqOf(page[i - 1]) + 1)
            return false;
    }
    if (page.isEmpty())
        return beforeSeq == 1;
    if (beforeSeq > 0 && seqOf(page.last()) != beforeSeq - 1)
        return false;
    return page.size() == limit || seqOf(page.first()) == 1;
}

} // namespace

void ChatSession::fetchLatest(const QString &room, qint64 beforeSeq, std::function<void()> done)
{
    fetchOlder(room, beforeSeq, HistoryPageSize, [done](const QList<QJsonObject> &, bool) { done(); });
}

void ChatSession::fetchOlder(const QString &room, qint64 beforeSeq, int limit, PageReply reply)
{
    const QList<QJsonObject> cached
        = beforeSeq > 0 ? m_store.messagesBefore(room, beforeSeq, limit) : m_store.messages(room, limit);
    // The newest page from the cache is trusted while it is kept up to date live.
    const bool whole = isWholePage(cached, beforeSeq, limit)
        || (beforeSeq == 0 && m_synced && !cached.isEmpty() && isWholePage(cached, 0, int(cached.size())));
    if (whole || !isOnline())
        return reply(cached, whole);
    HistoryRequest request { room, {}, {}, std::min(limit, HistoryPage) };
    if (beforeSeq > 0)
        request.beforeSeq = beforeSeq;
    fetchFromServer(request, cached, std::move(reply));
}

// The page from the server, stored on the way; without an answer, what the cache had.
void ChatSession::fetchFromServer(const HistoryRequest &history, const QList<QJsonObject> &cached, PageReply reply)
{
    request(Event::HistoryFetch, history.toJson(),
            [this, room = history.room, cached, reply](const QJsonObject &answer) {
                if (answerError(answer))
                    return reply(cached, false);
                const QList<QJsonObject> page = messagesOf(answer);
                storePage(room, page);
                reply(page, true);
            });
}

void ChatSession::storePage(const QString &room, const QList<QJsonObject> &page)
{
    m_store.storeMessages(page);
    if (!page.isEmpty())
        Q_EMIT historyStored(room, page.last());
}

void ChatSession::fetchNewer(const QString &room, qint64 afterSeq, int limit, PageReply reply)
{
    const QList<QJsonObject> cached = m_store.messagesAfter(room, afterSeq, limit);
    bool whole = true;
    for (int i = 0; i < cached.size(); ++i)
        whole = whole && seqOf(cached[i]) == afterSeq + 1 + i;
    // Short of a page only at the newest end, which the live messages keep current.
    whole = whole && (cached.size() == limit || (m_synced && m_store.lastSeq(room) == afterSeq + cached.size()));
    if (whole || !isOnline())
        return reply(cached, whole);
    fetchFromServer({ room, afterSeq, {}, std::min(limit, HistoryPage) }, cached, std::move(reply));
}

void ChatSession::fetchAfter(const QString &room, qint64 afterSeq, qint64 beforeSeq, std::function<void()> done)
{
    HistoryRequest history { room, afterSeq, {}, HistoryPage };
    if (beforeSeq > 0)
        history.beforeSeq = beforeSeq;
    request(Event::HistoryFetch, history.toJson(), [this, room, beforeSeq, done](const QJsonObject &answer) {
        const QJsonArray messages = answer.value(QStringLiteral("messages")).toArray();
        for (const QJsonValue &value : messages) {
            if (m_store.storeMessage(value.toObject()))
                Q_EMIT messageReceived(value.toObject());
        }
        if (messages.size() == HistoryPage)
            return fetchAfter(room, messages.last().toObject().value(QStringLiteral("seq")).toInteger(), beforeSeq,
                              done);
        done();
    });
}

void ChatSession::catchUp(const QString &room, qint64 serverLastSeq, std::function<void()> done)
{
    const qint64 last = m_store.lastSeq(room);
    if (serverLastSeq <= last)
        return done();
    if (last > 0 && serverLastSeq - last <= MaxCatchUp)
        return fetchAfter(room, last, 0, done); // what was missed, every message of it (unread, notifications)
    // A room this device has not seen, or a long absence: its newest page is enough to show;
    // older pages come when the user scrolls back.
    const HistoryRequest newest { room, {}, {}, HistoryPageSize };
    request(Event::HistoryFetch, newest.toJson(), [this, done](const QJsonObject &answer) {
        for (const QJsonObject &message : m_store.storeMessages(messagesOf(answer)))
            Q_EMIT messageReceived(message);
        done();
    });
}

} // namespace Confab::Client
