// Search: the cache's full-text index (offline, and any server) merged with the server's
// answer where it has one (everything in the user's rooms, not only what this device saw).
#include "chatsession.h"

#include "chat/events.h"
#include "chat/limits.h"

#include <QHash>

#include <algorithm>

namespace Confab::Client {

using namespace Chat;

namespace {

// Each message once, at the newest rev either side has; newest first; at most `limit`.
QList<Message> merged(QList<Message> found, const QList<Message> &more, int limit)
{
    QHash<QByteArray, qsizetype> byId;
    for (qsizetype i = 0; i < found.size(); ++i)
        byId.insert(found[i].id, i);
    for (const Message &message : more) {
        const auto known = byId.constFind(message.id);
        if (known == byId.cend())
            found.append(message);
        else if (found[*known].rev < message.rev)
            found[*known] = message;
    }
    found.removeIf([](const Message &message) { return message.deleted; });
    std::stable_sort(found.begin(), found.end(), [](const Message &a, const Message &b) { return a.ts > b.ts; });
    if (found.size() > limit)
        found.resize(limit);
    return found;
}

} // namespace

void ChatSession::searchMessages(const SearchRequest &request, std::function<void(const SearchResults &)> done)
{
    const int limit = request.limit.value_or(DefaultSearchLimit);
    QList<Message> cached;
    for (const QJsonObject &message : m_store.search(request.query, request.room, request.beforeSeq, limit))
        cached.append(Message::fromJson(message));
    if (!isOnline())
        return done({ cached, false });
    search(request, [cached, limit, done = std::move(done)](const Result<HistoryAnswer> &answer) {
        if (!answer) // unavailable (no index, or gone offline): what the cache has
            return done({ cached, false });
        done({ merged(answer->messages, cached, limit), true });
    });
}

} // namespace Confab::Client
