#include "storage/sqlitestore.h"

#include "ops/logging.h"

#include "util/ids.h"

#include <QDateTime>
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
    if (!m_pending.isEmpty() || !m_pendingChanges.isEmpty() || !m_pendingReads.isEmpty()
        || !m_pendingReceipts.isEmpty())
        commitPending();
    commitLastSeen();
    m_prepared.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool SqliteStore::open(const QString &path, QString *error)
{
    m_probe.setInterval(ProbeMs);
    connect(&m_probe, &QTimer::timeout, this, &SqliteStore::probeCommit);
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

// SQLite's numbered placeholders (?1 used twice) as plain ones: Qt Sql counts each ? as
// a value of its own. `order` gets, for each plain ?, the index of the value it takes.
QString expandNumbered(const QString &sql, QList<int> *order)
{
    QString plain;
    plain.reserve(sql.size());
    for (qsizetype i = 0; i < sql.size(); ++i) {
        plain.append(sql[i]);
        if (sql[i] != u'?')
            continue;
        qsizetype end = i + 1;
        while (end < sql.size() && sql[end].isDigit())
            ++end;
        order->append(end > i + 1 ? sql.mid(i + 1, end - i - 1).toInt() - 1 : int(order->size()));
        i = end - 1;
    }
    return plain;
}

// A write that runs to its end in exec() holds nothing afterwards, so its prepared
// statement can be kept and run again. Reads (and RETURNING) are finalized after use:
// a statement left mid-result would keep a read snapshot or block the commit.
bool isReusable(const QString &sql)
{
    return (sql.startsWith(u"INSERT") || sql.startsWith(u"UPDATE") || sql.startsWith(u"DELETE"))
        && !sql.contains(u"RETURNING");
}

} // namespace

SqliteStore::Prepared &SqliteStore::prepared(const QString &statement)
{
    auto found = m_prepared.find(statement);
    if (found == m_prepared.end()) {
        Prepared entry;
        entry.sql = expandNumbered(statement, &entry.order);
        if (isReusable(statement)) {
            entry.query = std::make_shared<QSqlQuery>(m_db);
            if (!entry.query->prepare(entry.sql)) {
                m_lastError = entry.query->lastError().text();
                qCWarning(Ops::lcStore, "%s: %s", qPrintable(entry.sql), qPrintable(m_lastError));
                entry.query.reset();
            }
        }
        found = m_prepared.insert(statement, entry);
    }
    return *found;
}

bool SqliteStore::bindAndExec(QSqlQuery &query, const Prepared &entry, const QVariantList &values)
{
    ++m_statements;
    for (int i = 0; i < entry.order.size(); ++i)
        query.bindValue(i, values.value(entry.order[i]));
    if (query.exec())
        return true;
    m_lastError = query.lastError().text();
    qCWarning(Ops::lcStore, "%s: %s", qPrintable(entry.sql), qPrintable(m_lastError));
    return false;
}

QSqlQuery SqliteStore::run(const QString &statement, const QVariantList &values)
{
    const Prepared &entry = prepared(statement);
    QSqlQuery query(m_db);
    if (!query.prepare(entry.sql)) {
        ++m_statements;
        m_lastError = query.lastError().text();
        qCWarning(Ops::lcStore, "%s: %s", qPrintable(entry.sql), qPrintable(m_lastError));
        return query;
    }
    bindAndExec(query, entry, values);
    return query;
}

int SqliteStore::write(const QString &statement, const QVariantList &values)
{
    const Prepared &entry = prepared(statement);
    if (!entry.query) // not reusable, or it would not prepare (logged): the fresh path says why
        return [&] {
            QSqlQuery query = run(statement, values);
            return query.isActive() ? query.numRowsAffected() : -1;
        }();
    return bindAndExec(*entry.query, entry, values) ? entry.query->numRowsAffected() : -1;
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
    return write(QStringLiteral("INSERT OR IGNORE INTO users (name, password_hash, disabled, created_at)"
                                " VALUES (?, ?, ?, ?)"),
                 { user.name, user.passwordHash, user.disabled, user.createdAt })
        == 1;
}

bool SqliteStore::setUserDisabled(const QString &name, bool disabled)
{
    return write(QStringLiteral("UPDATE users SET disabled = ? WHERE name = ?"), { disabled, name }) == 1;
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

constexpr auto RoomColumns = "r.name, r.topic, r.is_direct, r.last_rev, r.visibility, r.created_at";

} // namespace

// A row of RoomColumns.
RoomRecord SqliteStore::roomRecord(const QSqlQuery &query)
{
    const QString name = query.value(0).toString();
    return { name,
             query.value(1).toString(),
             query.value(2).toBool(),
             lastSeq(name),
             query.value(3).toLongLong(),
             Chat::visibilityFromName(query.value(4).toString()).value_or(Chat::Visibility::Public),
             query.value(5).toLongLong() };
}

std::optional<RoomRecord> SqliteStore::findRoom(const QString &name)
{
    static const QString statement
        = QStringLiteral("SELECT %1 FROM rooms r WHERE r.name = ?").arg(QLatin1String(RoomColumns));
    return select(statement, { name }, [this](QSqlQuery &query) -> std::optional<RoomRecord> {
        if (!query.next())
            return std::nullopt;
        return roomRecord(query);
    });
}

bool SqliteStore::createRoom(const RoomRecord &room)
{
    const Chat::Visibility visibility = room.isDirect ? Chat::Visibility::Private : room.visibility;
    return write(QStringLiteral("INSERT OR IGNORE INTO rooms (name, topic, is_direct, visibility, created_at)"
                                " VALUES (?, ?, ?, ?, ?)"),
                 { room.name, room.topic.isNull() ? QStringLiteral("") : room.topic, // null binds NULL
                   room.isDirect, Chat::visibilityName(visibility),
                   room.createdAt > 0 ? room.createdAt : QDateTime::currentMSecsSinceEpoch() })
        == 1;
}

QList<RoomRecord> SqliteStore::rooms()
{
    QList<RoomRecord> result;
    QSqlQuery query = run(QStringLiteral("SELECT %1 FROM rooms r ORDER BY r.name").arg(QLatin1String(RoomColumns)));
    while (query.next())
        result.append(roomRecord(query));
    return result;
}

bool SqliteStore::addMember(const QString &room, const QString &user)
{
    // A new member has read nothing: their own live messages and the live ones that
    // mention them (a member who left and came back) start the counters.
    return write(QStringLiteral("INSERT OR IGNORE INTO members (room, user, own_after, mentions_after) VALUES (?1, ?2,"
                                " (SELECT COUNT(*) FROM messages WHERE room = ?1 AND sender = ?2 AND deleted = 0),"
                                " (SELECT COUNT(*) FROM mentions WHERE room = ?1 AND user = ?2))"),
                 { room, user })
        == 1;
}

bool SqliteStore::removeMember(const QString &room, const QString &user)
{
    return write(QStringLiteral("DELETE FROM members WHERE room = ? AND user = ?"), { room, user }) == 1;
}

bool SqliteStore::isMember(const QString &room, const QString &user)
{
    return select(QStringLiteral("SELECT 1 FROM members WHERE room = ? AND user = ?"), { room, user },
                  [](QSqlQuery &query) { return query.next(); });
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
    while (query.next())
        result.append(roomRecord(query));
    return result;
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
    const bool ok = m_db.commit();
    if (!ok) {
        qCWarning(Ops::lcStore, "last_seen: %s", qPrintable(m_db.lastError().text()));
        m_db.rollback();
    }
    noteCommit(ok);
    m_pendingLastSeen.clear();
}

void SqliteStore::noteCommit(bool ok)
{
    if (ok) {
        m_health.succeeded();
        m_probe.stop();
        return;
    }
    m_health.failed(m_db.lastError().isValid() ? m_db.lastError().text() : m_lastError);
    if (!m_probe.isActive())
        m_probe.start();
}

void SqliteStore::probeCommit()
{
    if (!m_health.isFailing())
        return m_probe.stop();
    const bool ok = m_db.transaction()
        && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS store_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)"))
        && exec(QStringLiteral("INSERT INTO store_probe (id, at) VALUES (1, ?)"
                               " ON CONFLICT (id) DO UPDATE SET at = excluded.at"),
                { QDateTime::currentMSecsSinceEpoch() })
        && m_db.commit();
    if (!ok)
        m_db.rollback();
    noteCommit(ok);
}

} // namespace Confab::Storage
