// The cache's full-text index: search works offline and against any server (a cluster
// has none), over what this device has seen. FTS5 over the cached messages' text, as on
// the server, kept in step by triggers as messages are cached, updated and forgotten.
#include "localstore.h"

#include "chat/requests.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Confab::Client {

bool LocalStore::ensureSearchIndex(QString *error)
{
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts'")) && query.next())
        return true;
    // A cache from before the index gets it built from what it holds, in one transaction.
    m_db.transaction();
    for (const char *statement : {
             "CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='rowid',"
             " tokenize='unicode61 remove_diacritics 2')",
             "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
             " INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text); END",
             "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
             " INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END",
             "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN"
             " INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);"
             " INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text); END",
             "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')",
         }) {
        if (!query.exec(QString::fromLatin1(statement))) {
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
