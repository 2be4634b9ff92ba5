// Full-text search over messages (FTS5, schema v3 in sqliteschema.cpp).
#include "storage/sqlitestore.h"

#include "chat/fulltext.h"

namespace Confab::Storage {

std::optional<QList<Chat::Message>> SqliteStore::search(const SearchQuery &query)
{
    const QString match = Chat::fullTextQuery(query.words);
    if (match.isEmpty())
        return QList<Chat::Message> {};
    // Driven by the index, newest first (a message's rowid follows the order messages were
    // stored in, as their ts does), so a common word stops at `limit` matches the caller
    // may see instead of sorting every message that has it.
    QString matches = QStringLiteral(
        "SELECT f.rowid FROM messages_fts f JOIN messages m ON m.rowid = f.rowid WHERE messages_fts MATCH ?"
        " AND m.deleted = 0 AND m.room IN (SELECT room FROM members WHERE user = ?)");
    QVariantList bindings { match, query.user };
    if (!query.room.isEmpty()) {
        matches += QStringLiteral(" AND m.room = ?");
        bindings.append(query.room);
    }
    if (query.beforeSeq) {
        matches += QStringLiteral(" AND m.seq < ?");
        bindings.append(*query.beforeSeq);
    }
    matches += QStringLiteral(" ORDER BY f.rowid DESC LIMIT ?");
    bindings.append(query.limit);
    const QString where = QStringLiteral("rowid IN (") + matches + QStringLiteral(") ORDER BY rowid DESC");
    return messages(where, bindings);
}

} // namespace Confab::Storage
