#include "localstore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace Confab::Client {

LocalStore::LocalStore()
    : m_connectionName(QStringLiteral("confab-client-%1").arg(QUuid::createUuid().toString(QUuid::Id128)))
{
}

LocalStore::~LocalStore()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool LocalStore::open(const QString &path, QString *error)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    if (!m_db.open()) {
        *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery query(m_db);
    for (const char *statement : {
             "PRAGMA journal_mode=WAL",
             "PRAGMA synchronous=FULL", // an outbox row must survive a crash right after the user hit Enter
             "CREATE TABLE IF NOT EXISTS outbox (client_id TEXT PRIMARY KEY, room TEXT NOT NULL, text TEXT NOT NULL,"
             " created_at INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '')",
             "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, room TEXT NOT NULL, seq INTEGER NOT NULL,"
             " sender TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, client_id TEXT NOT NULL)",
             "CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room, seq)",
             "CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY)",
             "CREATE TABLE IF NOT EXISTS members (room TEXT NOT NULL, user TEXT NOT NULL, PRIMARY KEY (room, user))",
         }) {
        if (!query.exec(QString::fromLatin1(statement))) {
            *error = query.lastError().text();
            return false;
        }
    }
    return true;
}

OutboxEntry LocalStore::enqueue(const QString &room, const QString &text)
{
    OutboxEntry entry { QUuid::createUuid().toString(QUuid::WithoutBraces), room, text,
                        QDateTime::currentMSecsSinceEpoch(), false, QString() };
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT INTO outbox (client_id, room, text, created_at) VALUES (?, ?, ?, ?)"));
    query.addBindValue(entry.clientId);
    query.addBindValue(entry.room);
    query.addBindValue(entry.text);
    query.addBindValue(entry.createdAt);
    query.exec();
    return entry;
}

QList<OutboxEntry> LocalStore::outbox() const
{
    QList<OutboxEntry> entries;
    QSqlQuery query(QStringLiteral("SELECT client_id, room, text, created_at, failed, error FROM outbox ORDER BY rowid"), m_db);
    while (query.next())
        entries.append({ query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                         query.value(3).toLongLong(), query.value(4).toBool(), query.value(5).toString() });
    return entries;
}

void LocalStore::removeFromOutbox(const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM outbox WHERE client_id = ?"));
    query.addBindValue(clientId);
    query.exec();
}

void LocalStore::markFailed(const QString &clientId, const QString &error)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 1, error = ? WHERE client_id = ?"));
    query.addBindValue(error);
    query.addBindValue(clientId);
    query.exec();
}

void LocalStore::clearFailed(const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 0, error = '' WHERE client_id = ?"));
    query.addBindValue(clientId);
    query.exec();
}

int LocalStore::pendingCount() const
{
    QSqlQuery query(m_db);
    query.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE failed = 0"));
    return query.next() ? query.value(0).toInt() : 0;
}

bool LocalStore::storeMessage(const QJsonObject &message)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO messages (id, room, seq, sender, text, ts, client_id) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(message.value(QStringLiteral("id")).toString());
    query.addBindValue(message.value(QStringLiteral("room")).toString());
    query.addBindValue(message.value(QStringLiteral("seq")).toInteger());
    query.addBindValue(message.value(QStringLiteral("from")).toString());
    query.addBindValue(message.value(QStringLiteral("text")).toString());
    query.addBindValue(message.value(QStringLiteral("ts")).toInteger());
    query.addBindValue(message.value(QStringLiteral("clientId")).toString());
    return query.exec() && query.numRowsAffected() == 1;
}

QList<QJsonObject> LocalStore::messages(const QString &room, int limit) const
{
    QList<QJsonObject> result;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT id, seq, sender, text, ts, client_id FROM messages WHERE room = ?"
                                 " ORDER BY seq DESC LIMIT ?"));
    query.addBindValue(room);
    query.addBindValue(limit);
    query.exec();
    while (query.next())
        result.prepend({ { QStringLiteral("room"), room }, { QStringLiteral("id"), query.value(0).toString() },
                         { QStringLiteral("seq"), query.value(1).toLongLong() }, { QStringLiteral("from"), query.value(2).toString() },
                         { QStringLiteral("text"), query.value(3).toString() }, { QStringLiteral("ts"), query.value(4).toLongLong() },
                         { QStringLiteral("clientId"), query.value(5).toString() } });
    return result;
}

qint64 LocalStore::lastSeq(const QString &room) const
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = ?"));
    query.addBindValue(room);
    return query.exec() && query.next() ? query.value(0).toLongLong() : 0;
}

QStringList LocalStore::rooms() const
{
    QStringList result;
    QSqlQuery query(QStringLiteral("SELECT name FROM rooms ORDER BY name"), m_db);
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

void LocalStore::rememberRoom(const QString &room)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO rooms (name) VALUES (?)"));
    query.addBindValue(room);
    query.exec();
}

QStringList LocalStore::members(const QString &room) const
{
    QStringList result;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT user FROM members WHERE room = ? ORDER BY user"));
    query.addBindValue(room);
    query.exec();
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

void LocalStore::setMembers(const QString &room, const QStringList &members)
{
    m_db.transaction();
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM members WHERE room = ?"));
    query.addBindValue(room);
    query.exec();
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO members (room, user) VALUES (?, ?)"));
    for (const QString &user : members) {
        query.addBindValue(room);
        query.addBindValue(user);
        query.exec();
    }
    m_db.commit();
}

void LocalStore::forgetRoom(const QString &room)
{
    m_db.transaction();
    QSqlQuery query(m_db);
    for (const auto &sql : { QStringLiteral("DELETE FROM rooms WHERE name = ?"), QStringLiteral("DELETE FROM messages WHERE room = ?"),
                             QStringLiteral("DELETE FROM members WHERE room = ?") }) {
        query.prepare(sql);
        query.addBindValue(room);
        query.exec();
    }
    m_db.commit();
}

} // namespace Confab::Client
