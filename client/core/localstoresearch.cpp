// The cache's full-text index: search works offline and against any server (a cluster
// has none), over what this device has seen. FTS5 over the cached messages' text, as on
// the server, kept in step by triggers as messages are cached, updated and forgotten.
#include "localstore.h"

#include "chat/fulltext.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Confab::Client {

bool LocalStore::ensureSearchIndex(QString *error)
{
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'")) && query.next()
        && Chat::isCurrentFullTextIndex(query.value(0).toString()))
        return true;
    query.finish();
    // A cache from before the index (or before its current form) gets it built from what
    // it holds, in one transaction.
    m_db.transaction();
    QStringList statements;
    for (const char *statement : Chat::DropMessagesFullTextIndex)
        statements.append(QString::fromLatin1(statement));
    for (const char *statement : Chat::MessagesFullTextIndex)
        statements.append(QString::fromLatin1(statement));
    for (const QString &statement : std::as_const(statements)) {
        if (!query.exec(statement)) {
            *error = query.lastError().text();
            m_db.rollback();
            return false;
        }
    }
    return m_db.commit();
}

QList<QJsonObject> LocalStore::search(const QString &words, const QString &room, std::optional<qint64> beforeSeq,
                                      int limit) const
{
    QList<QJsonObject> result;
    const QString match = Chat::fullTextQuery(words);
    if (match.isEmpty())
        return result;
    QString sql = QStringLiteral("SELECT id, seq, sender, text, ts, client_id, body, room FROM messages"
                                 " WHERE rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)");
    if (!room.isEmpty())
        sql += QStringLiteral(" AND room = ?");
    if (beforeSeq && !room.isEmpty())
        sql += QStringLiteral(" AND seq < ?");
    sql += QStringLiteral(" ORDER BY ts DESC, rowid DESC LIMIT ?");
    QSqlQuery query(m_cacheDb);
    query.setForwardOnly(true);
    query.prepare(sql);
    query.addBindValue(match);
    if (!room.isEmpty())
        query.addBindValue(room);
    if (beforeSeq && !room.isEmpty())
        query.addBindValue(*beforeSeq);
    query.addBindValue(limit);
    query.exec();
    while (query.next()) {
        const QJsonObject message = cachedMessage(query, query.value(7).toString());
        if (!message.value(QLatin1StringView("deleted")).toBool())
            result.append(message);
    }
    return result;
}

} // namespace Confab::Client
