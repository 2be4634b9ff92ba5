// Upload records (schema v4 in sqliteschema.cpp). A record is written on its own, with a
// full sync: an upload is answered 201 only once both its bytes and its record are durable.
#include "storage/sqlitestore.h"

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

} // namespace Confab::Storage
