// Roles, bans, topics and the directory in the embedded store. A role is a column of the
// membership row, so leaving or a kick takes it away with the row.
#include "chat/directory.h"
#include "storage/sqlitestore.h"

namespace Confab::Storage {

using Chat::RoomRole;

QHash<QString, RoomRole> SqliteStore::roles(const QString &room)
{
    QHash<QString, RoomRole> result;
    QSqlQuery query
        = run(QStringLiteral("SELECT user, role FROM members WHERE room = ? AND role <> 'member'"), { room });
    while (query.next()) {
        if (const auto role = Chat::roomRoleFromName(query.value(1).toString()))
            result.insert(query.value(0).toString(), *role);
    }
    return result;
}

std::optional<RoomRole> SqliteStore::roleOf(const QString &room, const QString &user)
{
    QSqlQuery query = run(QStringLiteral("SELECT role FROM members WHERE room = ? AND user = ?"), { room, user });
    if (!query.next())
        return std::nullopt;
    return Chat::roomRoleFromName(query.value(0).toString()).value_or(RoomRole::Member);
}

bool SqliteStore::setRole(const QString &room, const QString &user, RoomRole role)
{
    if (!isMember(room, user))
        return false;
    if (role != RoomRole::Owner) {
        return write(QStringLiteral("UPDATE members SET role = ? WHERE room = ? AND user = ?"),
                     { Chat::roomRoleName(role), room, user })
            == 1;
    }
    // One statement: the new owner in, the old one down to moderator, together.
    return write(QStringLiteral("UPDATE members SET role = CASE WHEN user = ?2 THEN 'owner' ELSE 'moderator' END"
                                " WHERE room = ?1 AND (user = ?2 OR role = 'owner')"),
                 { room, user })
        >= 1;
}

bool SqliteStore::setTopic(const QString &room, const QString &topic)
{
    return write(QStringLiteral("UPDATE rooms SET topic = ? WHERE name = ?"),
                 { topic.isNull() ? QStringLiteral("") : topic, room })
        == 1;
}

bool SqliteStore::isBanned(const QString &room, const QString &user)
{
    return run(QStringLiteral("SELECT 1 FROM bans WHERE room = ? AND user = ?"), { room, user }).next();
}

bool SqliteStore::setBanned(const QString &room, const QString &user, bool on)
{
    if (!on)
        return write(QStringLiteral("DELETE FROM bans WHERE room = ? AND user = ?"), { room, user }) >= 0;
    return write(QStringLiteral("INSERT OR IGNORE INTO bans (room, user, at) VALUES (?, ?, ?)"),
                 { room, user, QDateTime::currentMSecsSinceEpoch() })
        >= 0;
}

QList<Chat::DirectoryEntry> SqliteStore::directory(const QString &query, int limit)
{
    // Matching in C++ (SQLite's lower() folds ASCII only); the last activity only for the
    // rooms answered.
    QList<Chat::DirectoryEntry> entries;
    QSqlQuery rooms = run(QStringLiteral("SELECT r.name, r.topic, r.created_at,"
                                         " (SELECT COUNT(*) FROM members m WHERE m.room = r.name)"
                                         " FROM rooms r WHERE r.visibility = 'public' AND r.is_direct = 0"));
    while (rooms.next()) {
        const QString name = rooms.value(0).toString();
        const QString topic = rooms.value(1).toString();
        if (Chat::matchesDirectoryQuery(name, topic, query))
            entries.append({ name, topic, rooms.value(3).toLongLong(), rooms.value(2).toLongLong() });
    }
    Chat::rankDirectory(entries, limit);
    for (Chat::DirectoryEntry &entry : entries) {
        QSqlQuery last
            = run(QStringLiteral("SELECT ts FROM messages WHERE room = ? ORDER BY seq DESC LIMIT 1"), { entry.name });
        if (last.next())
            entry.lastActivity = last.value(0).toLongLong();
    }
    return entries;
}

} // namespace Confab::Storage
