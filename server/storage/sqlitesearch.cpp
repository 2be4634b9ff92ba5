// Full-text search over messages (FTS5, schema v3 in sqliteschema.cpp).
#include "storage/sqlitestore.h"

#include "chat/fulltext.h"

namespace Confab::Storage {

std::optional<QList<Chat::Message>> SqliteStore::search(const SearchQuery &query)
{
    const QString match = Chat::fullTextQuery(query.words);
    if (match.isEmpty())
        return QList<Chat::Message> {};
    QString where = QStringLiteral("rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)"
                                   " AND deleted = 0 AND room IN (SELECT room FROM members WHERE user = ?)");
    QVariantList bindings { match, query.user };
    if (!query.room.isEmpty()) {
        where += QStringLiteral(" AND room = ?");
        bindings.append(query.room);
    }
    if (query.beforeSeq) {
        where += QStringLiteral(" AND seq < ?");
        bindings.append(*query.beforeSeq);
    }
    where += QStringLiteral(" ORDER BY ts DESC, rowid DESC LIMIT ?");
    bindings.append(query.limit);
    return messages(where, bindings);
}

} // namespace Confab::Storage
