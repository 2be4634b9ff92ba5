// Full-text search over messages (FTS5, schema v3 in sqliteschema.cpp).
#include "storage/sqlitestore.h"

#include <QRegularExpression>

namespace Confab::Storage {

namespace {

// What the user typed as an FTS5 query: each word a quoted string (so nothing in it is
// FTS5 syntax), all of them required in any order, the last one also as a prefix (the
// word still being typed). Words split as the index's tokenizer splits them.
QString matchExpression(const QString &typed)
{
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    QStringList words = typed.split(separators, Qt::SkipEmptyParts);
    for (QString &word : words)
        word = QLatin1Char('"') + word + QLatin1Char('"');
    if (!words.isEmpty())
        words.last().append(QLatin1Char('*'));
    return words.join(QLatin1Char(' '));
}

} // namespace

std::optional<QList<Chat::Message>> SqliteStore::search(const SearchQuery &query)
{
    const QString match = matchExpression(query.words);
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
