// Upload records (schema v4 in sqliteschema.cpp). A record is written on its own, with a
// full sync: an upload is answered 201 only once both its bytes and its record are durable.
#include "storage/sqlitestore.h"

#include <QSet>
#include <QSqlQuery>

namespace Confab::Storage {

bool SqliteStore::addFile(const Chat::FileRecord &file)
{
    return write(QStringLiteral("INSERT INTO files (id, sha256, name, type, size, uploader, created_at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)"),
                 { QString::fromLatin1(file.id), QString::fromLatin1(file.sha256), file.name,
                   QString::fromLatin1(file.type), file.size, file.uploader, file.createdAt })
        == 1;
}

std::optional<Chat::FileRecord> SqliteStore::findFile(const QByteArray &id)
{
    QSqlQuery query
        = run(QStringLiteral("SELECT sha256, name, type, size, uploader, created_at FROM files WHERE id = ?"),
              { QString::fromLatin1(id) });
    if (!query.next())
        return std::nullopt;
    return Chat::FileRecord { id,
                              query.value(0).toString().toLatin1(),
                              query.value(1).toString(),
                              query.value(2).toString().toLatin1(),
                              query.value(3).toLongLong(),
                              query.value(4).toString(),
                              query.value(5).toLongLong() };
}

bool SqliteStore::mayAccessFile(const QString &user, const QByteArray &id)
{
    QSqlQuery query = run(QStringLiteral("SELECT 1 FROM message_files f"
                                         " JOIN messages m ON m.room = f.room AND m.seq = f.seq AND m.deleted = 0"
                                         " JOIN members mb ON mb.room = f.room AND mb.user = ?"
                                         " WHERE f.file = ? LIMIT 1"),
                          { user, QString::fromLatin1(id) });
    return query.next();
}

qint64 SqliteStore::fileUsage(const QString &user)
{
    QSqlQuery query = run(QStringLiteral("SELECT COALESCE(SUM(size), 0) FROM"
                                         " (SELECT DISTINCT sha256, size FROM files WHERE uploader = ?)"),
                          { user });
    return query.next() ? query.value(0).toLongLong() : 0;
}

std::optional<Chat::Store::FileCollection> SqliteStore::collectFiles(qint64 createdBefore, qint64 abandonedBefore,
                                                                     int limit)
{
    // Only deleted messages carry it (their message_files rows stay), or nothing ever did
    // and it is old enough that no client is still about to send it.
    static const QString Unreferenced
        = QStringLiteral("created_at < ? AND NOT EXISTS (SELECT 1 FROM message_files mf JOIN messages m ON m.room = "
                         "mf.room AND m.seq = mf.seq"
                         " AND m.deleted = 0 WHERE mf.file = files.id)"
                         " AND (created_at < ? OR EXISTS (SELECT 1 FROM message_files mf WHERE mf.file = files.id))");
    QSqlQuery candidates
        = run(QStringLiteral("SELECT id, sha256 FROM files WHERE ") + Unreferenced + QStringLiteral(" LIMIT ?"),
              { createdBefore, abandonedBefore, limit });
    if (!candidates.isActive())
        return std::nullopt;
    QList<QPair<QString, QString>> found;
    while (candidates.next())
        found.append({ candidates.value(0).toString(), candidates.value(1).toString() });
    candidates.finish();
    FileCollection collection;
    collection.examined = int(found.size());
    if (found.isEmpty())
        return collection;
    bool ok = m_db.transaction();
    QSet<QString> shas;
    for (const auto &[id, sha] : std::as_const(found)) {
        const int removed = write(QStringLiteral("DELETE FROM files WHERE id = ? AND ") + Unreferenced,
                                  { id, createdBefore, abandonedBefore });
        ok = ok && removed >= 0 && exec(QStringLiteral("DELETE FROM message_files WHERE file = ?"), { id });
        if (removed > 0) {
            ++collection.records;
            shas.insert(sha);
        }
    }
    for (const QString &sha : std::as_const(shas)) {
        QSqlQuery kept = run(QStringLiteral("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1"), { sha });
        ok = ok && kept.isActive();
        if (ok && !kept.next())
            collection.freedContents.append(sha.toLatin1());
    }
    ok = ok && m_db.commit();
    if (!ok) {
        m_db.rollback();
        return std::nullopt;
    }
    return collection;
}

std::optional<Chat::Store::FileTotals> SqliteStore::fileTotals(int topUsers)
{
    QSqlQuery totals = run(QStringLiteral("SELECT (SELECT COUNT(*) FROM files),"
                                          " COUNT(*), COALESCE(SUM(size), 0) FROM"
                                          " (SELECT DISTINCT sha256, size FROM files)"));
    if (!totals.next())
        return std::nullopt;
    FileTotals result { totals.value(0).toLongLong(), totals.value(1).toLongLong(), totals.value(2).toLongLong() };
    QSqlQuery users = run(QStringLiteral("SELECT uploader, SUM(size) AS used FROM"
                                         " (SELECT DISTINCT uploader, sha256, size FROM files)"
                                         " GROUP BY uploader ORDER BY used DESC, uploader LIMIT ?"),
                          { topUsers });
    while (users.next())
        result.topUsers.append({ users.value(0).toString(), users.value(1).toLongLong() });
    return result;
}

std::optional<bool> SqliteStore::isContentRecorded(const QByteArray &sha256)
{
    QSqlQuery query
        = run(QStringLiteral("SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = ?)"), { QString::fromLatin1(sha256) });
    if (!query.next())
        return std::nullopt;
    return query.value(0).toBool();
}

} // namespace Confab::Storage
