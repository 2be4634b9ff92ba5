#include "storage/sqlitestore.h"

#include "ops/logging.h"

#include "util/ids.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Confab::Storage {

using Chat::Message;
using Chat::RoomRecord;
using Chat::UserRecord;

namespace {

const char *const Schema[] = {
    "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash BLOB NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY, topic TEXT NOT NULL DEFAULT '',"
    " is_direct INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS members (room TEXT NOT NULL, user TEXT NOT NULL, PRIMARY KEY "
    "(room, user))",
    "CREATE INDEX IF NOT EXISTS members_by_user ON members (user)",
    "CREATE TABLE IF NOT EXISTS messages (room TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT "
    "NULL,"
    " sender TEXT NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL,"
    " PRIMARY KEY (room, seq), UNIQUE (sender, client_id))",
    "CREATE TABLE IF NOT EXISTS receipts (room TEXT NOT NULL, user TEXT NOT NULL, kind TEXT NOT "
    "NULL,"
    " seq INTEGER NOT NULL, PRIMARY KEY (room, user, kind))",
    "CREATE TABLE IF NOT EXISTS last_seen (user TEXT PRIMARY KEY, at INTEGER NOT NULL)",
};

Message messageFrom(const QSqlQuery &query)
{
    Message message;
    message.room = query.value(0).toString();
    message.seq = query.value(1).toLongLong();
    message.id = query.value(2).toString().toLatin1();
    message.from = query.value(3).toString();
    message.clientId = query.value(4).toString();
    message.text = query.value(5).toString();
    message.ts = query.value(6).toLongLong();
    return message;
}

constexpr auto MessageColumns = "room, seq, id, sender, client_id, text, ts";

} // namespace

SqliteStore::SqliteStore(QObject *parent)
    : QObject(parent)
    , m_connectionName(QStringLiteral("confab-store-%1").arg(QString::fromLatin1(randomId())))
{
}

SqliteStore::~SqliteStore()
{
    if (!m_pending.isEmpty())
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
            *error = QStringLiteral("cannot configure %1: %2").arg(path, m_db.lastError().text());
            return false;
        }
    }
    for (const char *statement : Schema) {
        if (!exec(QString::fromLatin1(statement))) {
            *error = QStringLiteral("cannot create schema in %1: %2").arg(path, m_db.lastError().text());
            return false;
        }
    }
    return true;
}

bool SqliteStore::exec(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery query(m_db);
    query.prepare(sql);
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    if (!query.exec()) {
        qCWarning(Ops::lcStore, "%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return false;
    }
    return true;
}

std::optional<UserRecord> SqliteStore::findUser(const QString &name)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT name, password_hash, disabled, created_at FROM users WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return UserRecord { query.value(0).toString(), query.value(1).toByteArray(), query.value(2).toBool(),
                        query.value(3).toLongLong() };
}

bool SqliteStore::createUser(const UserRecord &user)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO users (name, password_hash, disabled, "
                                 "created_at) VALUES (?, ?, ?, ?)"));
    query.addBindValue(user.name);
    query.addBindValue(user.passwordHash);
    query.addBindValue(user.disabled);
    query.addBindValue(user.createdAt);
    return query.exec() && query.numRowsAffected() == 1;
}

bool SqliteStore::setUserDisabled(const QString &name, bool disabled)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE users SET disabled = ? WHERE name = ?"));
    query.addBindValue(disabled);
    query.addBindValue(name);
    return query.exec() && query.numRowsAffected() == 1;
}

QList<UserRecord> SqliteStore::users()
{
    QList<UserRecord> result;
    QSqlQuery query(QStringLiteral("SELECT name, disabled, created_at FROM users ORDER BY name"), m_db);
    while (query.next())
        result.append({ query.value(0).toString(), {}, query.value(1).toBool(), query.value(2).toLongLong() });
    return result;
}

std::optional<RoomRecord> SqliteStore::findRoom(const QString &name)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT name, topic, is_direct FROM rooms WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return RoomRecord { query.value(0).toString(), query.value(1).toString(), query.value(2).toBool(), lastSeq(name) };
}

bool SqliteStore::createRoom(const RoomRecord &room)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO rooms (name, topic, is_direct) VALUES (?, ?, ?)"));
    query.addBindValue(room.name);
    query.addBindValue(room.topic.isNull() ? QStringLiteral("") : room.topic); // a null QString binds NULL
    query.addBindValue(room.isDirect);
    return query.exec() && query.numRowsAffected() == 1;
}

QList<RoomRecord> SqliteStore::rooms()
{
    QList<RoomRecord> result;
    QSqlQuery query(QStringLiteral("SELECT name, topic, is_direct FROM rooms ORDER BY name"), m_db);
    while (query.next()) {
        const QString name = query.value(0).toString();
        result.append({ name, query.value(1).toString(), query.value(2).toBool(), lastSeq(name) });
    }
    return result;
}

bool SqliteStore::addMember(const QString &room, const QString &user)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO members (room, user) VALUES (?, ?)"));
    query.addBindValue(room);
    query.addBindValue(user);
    return query.exec() && query.numRowsAffected() == 1;
}

bool SqliteStore::removeMember(const QString &room, const QString &user)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM members WHERE room = ? AND user = ?"));
    query.addBindValue(room);
    query.addBindValue(user);
    return query.exec() && query.numRowsAffected() == 1;
}

bool SqliteStore::isMember(const QString &room, const QString &user)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT 1 FROM members WHERE room = ? AND user = ?"));
    query.addBindValue(room);
    query.addBindValue(user);
    return query.exec() && query.next();
}

QStringList SqliteStore::members(const QString &room)
{
    QStringList result;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT user FROM members WHERE room = ? ORDER BY user"));
    query.addBindValue(room);
    if (query.exec()) {
        while (query.next())
            result.append(query.value(0).toString());
    }
    return result;
}

qsizetype SqliteStore::memberCount(const QString &room)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM members WHERE room = ?"));
    query.addBindValue(room);
    return query.exec() && query.next() ? query.value(0).toLongLong() : 0;
}

QList<RoomRecord> SqliteStore::roomsOf(const QString &user)
{
    QList<RoomRecord> result;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT r.name, r.topic, r.is_direct FROM rooms r JOIN members m ON m.room = r.name"
                                 " WHERE m.user = ? ORDER BY r.name"));
    query.addBindValue(user);
    if (query.exec()) {
        while (query.next()) {
            const QString name = query.value(0).toString();
            result.append({ name, query.value(1).toString(), query.value(2).toBool(), lastSeq(name) });
        }
    }
    return result;
}

qint64 SqliteStore::lastSeq(const QString &room)
{
    const auto cached = m_lastSeq.constFind(room);
    if (cached != m_lastSeq.cend())
        return *cached;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = ?"));
    query.addBindValue(room);
    const qint64 seq = query.exec() && query.next() ? query.value(0).toLongLong() : 0;
    m_lastSeq.insert(room, seq);
    return seq;
}

std::optional<Message> SqliteStore::findByClientId(const QString &from, const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE sender = ? AND client_id = ?")
                      .arg(QLatin1String(MessageColumns)));
    query.addBindValue(from);
    query.addBindValue(clientId);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return messageFrom(query);
}

void SqliteStore::append(const Message &draft, AppendCallback callback)
{
    // A repeat of a committed send, or of one still waiting in this batch.
    if (auto existing = findByClientId(draft.from, draft.clientId)) {
        callback({ existing, true });
        return;
    }
    for (PendingAppend &pending : m_pending) {
        if (pending.message.from == draft.from && pending.message.clientId == draft.clientId) {
            AppendCallback first = std::move(pending.callback);
            pending.callback = [first = std::move(first), callback](const AppendResult &result) {
                first(result);
                callback({ result.message, true });
            };
            return;
        }
    }
    Message message = draft;
    message.seq = lastSeq(draft.room) + 1;
    m_lastSeq.insert(draft.room, message.seq);
    message.id = randomId();
    message.ts = QDateTime::currentMSecsSinceEpoch();
    m_pending.append({ message, std::move(callback) });
    m_commit.schedule();
}

void SqliteStore::commitPending()
{
    QList<PendingAppend> batch = std::exchange(m_pending, {});
    if (batch.isEmpty())
        return;
    bool ok = m_db.transaction();
    QSqlQuery insert(m_db);
    insert.prepare(
        QStringLiteral("INSERT INTO messages (%1) VALUES (?, ?, ?, ?, ?, ?, ?)").arg(QLatin1String(MessageColumns)));
    for (const PendingAppend &pending : std::as_const(batch)) {
        if (!ok)
            break;
        const Message &m = pending.message;
        insert.addBindValue(m.room);
        insert.addBindValue(m.seq);
        insert.addBindValue(QString::fromLatin1(m.id));
        insert.addBindValue(m.from);
        insert.addBindValue(m.clientId);
        insert.addBindValue(m.text);
        insert.addBindValue(m.ts);
        ok = insert.exec();
        if (!ok)
            qCWarning(Ops::lcStore, "append failed: %s", qPrintable(insert.lastError().text()));
    }
    ok = ok && m_db.commit();
    if (!ok) {
        m_db.rollback();
        m_lastSeq.clear(); // re-read from disk: the failed seqs were never written
        for (const PendingAppend &pending : std::as_const(batch))
            pending.callback({ std::nullopt, false });
        return;
    }
    ++m_commits;
    m_appended += batch.size();
    for (const PendingAppend &pending : std::as_const(batch))
        pending.callback({ pending.message, false });
}

QList<Message> SqliteStore::history(const QString &room, std::optional<qint64> afterSeq,
                                    std::optional<qint64> beforeSeq, int limit)
{
    QList<Message> result;
    QSqlQuery query(m_db);
    const bool newestFirst = !afterSeq.has_value();
    query.prepare(
        QStringLiteral("SELECT %1 FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq %2 LIMIT ?")
            .arg(QLatin1String(MessageColumns), newestFirst ? QLatin1String("DESC") : QLatin1String("ASC")));
    query.addBindValue(room);
    query.addBindValue(afterSeq.value_or(0));
    query.addBindValue(beforeSeq.value_or(std::numeric_limits<qint64>::max()));
    query.addBindValue(limit);
    if (query.exec()) {
        while (query.next())
            result.append(messageFrom(query));
    }
    if (newestFirst)
        std::reverse(result.begin(), result.end());
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
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT at FROM last_seen WHERE user = ?"));
    query.addBindValue(user);
    return query.exec() && query.next() ? query.value(0).toLongLong() : 0;
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
