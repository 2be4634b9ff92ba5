#include "storage/sqlitestore.h"

#include "ops/logging.h"

#include "util/ids.h"

#include <QSqlError>
#include <QVariant>

namespace Confab::Storage {

using Chat::RoomRecord;
using Chat::UserRecord;

SqliteStore::SqliteStore(QObject *parent)
    : QObject(parent)
    , m_connectionName(QStringLiteral("confab-store-%1").arg(QString::fromLatin1(randomId())))
{
}

SqliteStore::~SqliteStore()
{
    if (!m_pending.isEmpty() || !m_pendingChanges.isEmpty())
        commitPending();
    commitLastSeen();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool SqliteStore::open(const QString &path, QString *error)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    if (!m_db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError().text());
        return false;
    }
    // WAL + FULL: a commit is on disk before the store answers, and readers never block it.
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                                "PRAGMA busy_timeout=5000" }) {
        if (!exec(QString::fromLatin1(pragma))) {
            *error = QStringLiteral("cannot configure %1: %2").arg(path, m_lastError);
            return false;
        }
    }
    if (!migrate(error)) {
        *error = QStringLiteral("%1: %2").arg(path, *error);
        m_db.close();
        return false;
    }
    return true;
}

namespace {

// SQLite's numbered placeholders (?1 used twice) as plain ones with the values repeated:
// Qt Sql counts each ? as a value of its own.
void expandNumbered(QString &sql, QVariantList &bindings)
{
    QVariantList values;
    QString plain;
    for (qsizetype i = 0; i < sql.size(); ++i) {
        plain.append(sql[i]);
        qsizetype end = i + 1;
        while (sql[i] == u'?' && end < sql.size() && sql[end].isDigit())
            ++end;
        if (end > i + 1) {
            values.append(bindings.value(sql.mid(i + 1, end - i - 1).toInt() - 1));
            i = end - 1;
        }
    }
    if (!values.isEmpty()) {
        sql = plain;
        bindings = values;
    }
}

} // namespace

QSqlQuery SqliteStore::run(const QString &statement, const QVariantList &values)
{
    ++m_statements;
    QString sql = statement;
    QVariantList bindings = values;
    expandNumbered(sql, bindings);
    QSqlQuery query(m_db);
    if (!query.prepare(sql)) {
        m_lastError = query.lastError().text();
        qCWarning(Ops::lcStore, "%s: %s", qPrintable(sql), qPrintable(m_lastError));
        return query;
    }
    for (const QVariant &value : std::as_const(bindings))
        query.addBindValue(value);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        qCWarning(Ops::lcStore, "%s: %s", qPrintable(sql), qPrintable(m_lastError));
    }
    return query;
}

std::optional<UserRecord> SqliteStore::findUser(const QString &name)
{
    QSqlQuery query
        = run(QStringLiteral("SELECT name, password_hash, disabled, created_at FROM users WHERE name = ?"), { name });
    if (!query.next())
        return std::nullopt;
    return UserRecord { query.value(0).toString(), query.value(1).toByteArray(), query.value(2).toBool(),
                        query.value(3).toLongLong() };
}

bool SqliteStore::createUser(const UserRecord &user)
{
    QSqlQuery query = run(QStringLiteral("INSERT OR IGNORE INTO users (name, password_hash, disabled, created_at)"
                                         " VALUES (?, ?, ?, ?)"),
                          { user.name, user.passwordHash, user.disabled, user.createdAt });
    return query.isActive() && query.numRowsAffected() == 1;
}

bool SqliteStore::setUserDisabled(const QString &name, bool disabled)
{
    QSqlQuery query = run(QStringLiteral("UPDATE users SET disabled = ? WHERE name = ?"), { disabled, name });
    return query.isActive() && query.numRowsAffected() == 1;
}

QList<UserRecord> SqliteStore::users()
{
    QList<UserRecord> result;
    QSqlQuery query = run(QStringLiteral("SELECT name, disabled, created_at FROM users ORDER BY name"));
    while (query.next())
        result.append({ query.value(0).toString(), {}, query.value(1).toBool(), query.value(2).toLongLong() });
    return result;
}

namespace {

constexpr auto RoomColumns = "r.name, r.topic, r.is_direct, r.last_rev";

} // namespace

std::optional<RoomRecord> SqliteStore::findRoom(const QString &name)
{
    QSqlQuery query
        = run(QStringLiteral("SELECT %1 FROM rooms r WHERE r.name = ?").arg(QLatin1String(RoomColumns)), { name });
    if (!query.next())
        return std::nullopt;
    return RoomRecord { name, query.value(1).toString(), query.value(2).toBool(), lastSeq(name),
                        query.value(3).toLongLong() };
}

bool SqliteStore::createRoom(const RoomRecord &room)
{
    QSqlQuery query = run(QStringLiteral("INSERT OR IGNORE INTO rooms (name, topic, is_direct) VALUES (?, ?, ?)"),
                          { room.name, room.topic.isNull() ? QStringLiteral("") : room.topic, // null binds NULL
                            room.isDirect });
    return query.isActive() && query.numRowsAffected() == 1;
}

QList<RoomRecord> SqliteStore::rooms()
{
    QList<RoomRecord> result;
    QSqlQuery query = run(QStringLiteral("SELECT %1 FROM rooms r ORDER BY r.name").arg(QLatin1String(RoomColumns)));
    while (query.next()) {
        const QString name = query.value(0).toString();
        result.append(
            { name, query.value(1).toString(), query.value(2).toBool(), lastSeq(name), query.value(3).toLongLong() });
    }
    return result;
}

bool SqliteStore::addMember(const QString &room, const QString &user)
{
    // A new member has read nothing: their own live messages and the live ones that
    // mention them (a member who left and came back) start the counters.
    QSqlQuery query
        = run(QStringLiteral("INSERT OR IGNORE INTO members (room, user, own_after, mentions_after) VALUES (?1, ?2,"
                             " (SELECT COUNT(*) FROM messages WHERE room = ?1 AND sender = ?2 AND deleted = 0),"
                             " (SELECT COUNT(*) FROM mentions WHERE room = ?1 AND user = ?2))"),
              { room, user });
    return query.isActive() && query.numRowsAffected() == 1;
}

bool SqliteStore::removeMember(const QString &room, const QString &user)
{
    QSqlQuery query = run(QStringLiteral("DELETE FROM members WHERE room = ? AND user = ?"), { room, user });
    return query.isActive() && query.numRowsAffected() == 1;
}

bool SqliteStore::isMember(const QString &room, const QString &user)
{
    return run(QStringLiteral("SELECT 1 FROM members WHERE room = ? AND user = ?"), { room, user }).next();
}

QStringList SqliteStore::members(const QString &room)
{
    QStringList result;
    QSqlQuery query = run(QStringLiteral("SELECT user FROM members WHERE room = ? ORDER BY user"), { room });
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

qsizetype SqliteStore::memberCount(const QString &room)
{
    QSqlQuery query = run(QStringLiteral("SELECT COUNT(*) FROM members WHERE room = ?"), { room });
    return query.next() ? query.value(0).toLongLong() : 0;
}

QList<RoomRecord> SqliteStore::roomsOf(const QString &user)
{
    QList<RoomRecord> result;
    QSqlQuery query = run(QStringLiteral("SELECT %1 FROM rooms r JOIN members m ON m.room = r.name"
                                         " WHERE m.user = ? ORDER BY r.name")
                              .arg(QLatin1String(RoomColumns)),
                          { user });
    while (query.next()) {
        const QString name = query.value(0).toString();
        result.append(
            { name, query.value(1).toString(), query.value(2).toBool(), lastSeq(name), query.value(3).toLongLong() });
    }
    return result;
}

void SqliteStore::setReceipt(const QString &room, const QString &user, const QString &kind, qint64 seq)
{
    exec(QStringLiteral("INSERT INTO receipts (room, user, kind, seq) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (room, user, kind) DO UPDATE SET seq = MAX(seq, excluded.seq)"),
         { room, user, kind, seq });
}

qint64 SqliteStore::lastSeen(const QString &user)
{
    const auto pending = m_pendingLastSeen.constFind(user);
    if (pending != m_pendingLastSeen.cend())
        return *pending;
    QSqlQuery query = run(QStringLiteral("SELECT at FROM last_seen WHERE user = ?"), { user });
    return query.next() ? query.value(0).toLongLong() : 0;
}

void SqliteStore::setLastSeen(const QString &user, qint64 nowMs)
{
    // A reconnect storm must not cost one fsync per connection: one transaction per pass.
    m_pendingLastSeen.insert(user, nowMs);
    m_commitLastSeen.schedule();
}

void SqliteStore::commitLastSeen()
{
    if (m_pendingLastSeen.isEmpty())
        return;
    m_db.transaction();
    for (auto it = m_pendingLastSeen.cbegin(); it != m_pendingLastSeen.cend(); ++it)
        exec(QStringLiteral("INSERT INTO last_seen (user, at) VALUES (?, ?)"
                            " ON CONFLICT (user) DO UPDATE SET at = MAX(at, excluded.at)"),
             { it.key(), it.value() });
    if (!m_db.commit())
        qCWarning(Ops::lcStore, "last_seen: %s", qPrintable(m_db.lastError().text()));
    m_pendingLastSeen.clear();
}

} // namespace Confab::Storage
