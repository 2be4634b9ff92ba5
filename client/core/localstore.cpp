#include "localstore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <limits>

namespace Confab::Client {

LocalStore::LocalStore()
    : m_connectionName(QStringLiteral("confab-client-%1").arg(QUuid::createUuid().toString(QUuid::Id128)))
{
}

LocalStore::~LocalStore()
{
    m_insertMessage.reset();
    m_db.close();
    m_db = QSqlDatabase();
    m_cacheDb.close();
    m_cacheDb = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    QSqlDatabase::removeDatabase(m_connectionName + QLatin1String("-cache"));
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
             "CREATE TABLE IF NOT EXISTS read_positions (room TEXT PRIMARY KEY, seq INTEGER NOT NULL)",
             "CREATE TABLE IF NOT EXISTS receipt_positions (room TEXT PRIMARY KEY, delivered INTEGER NOT NULL,"
             " read INTEGER NOT NULL)",
         }) {
        if (!query.exec(QString::fromLatin1(statement))) {
            *error = query.lastError().text();
            return false;
        }
    }
    // Added after the first release: fails harmlessly when the column is there already.
    query.exec(QStringLiteral("ALTER TABLE outbox ADD COLUMN error_text TEXT NOT NULL DEFAULT ''"));

    // The cache on a connection of its own without a sync per commit: what it holds can be
    // fetched again, and a disk sync for every message received cost the window more than
    // showing the message. WAL keeps it intact across a crash of the app.
    m_cacheDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName + QLatin1String("-cache"));
    m_cacheDb.setDatabaseName(path);
    QSqlQuery cacheQuery(m_cacheDb);
    if (!m_cacheDb.open() || !cacheQuery.exec(QStringLiteral("PRAGMA synchronous=NORMAL"))) {
        *error = m_cacheDb.lastError().text();
        return false;
    }
    return true;
}

std::optional<OutboxEntry> LocalStore::enqueue(const QString &room, const QString &text, QString *error)
{
    OutboxEntry entry { QUuid::createUuid().toString(QUuid::WithoutBraces),
                        room,
                        text,
                        QDateTime::currentMSecsSinceEpoch(),
                        false,
                        QString(),
                        QString() };
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT INTO outbox (client_id, room, text, created_at) VALUES (?, ?, ?, ?)"));
    query.addBindValue(entry.clientId);
    query.addBindValue(entry.room);
    query.addBindValue(entry.text);
    query.addBindValue(entry.createdAt);
    if (!query.exec()) {
        if (error)
            *error = query.lastError().text();
        return std::nullopt;
    }
    return entry;
}

QList<OutboxEntry> LocalStore::outbox() const
{
    QList<OutboxEntry> entries;
    QSqlQuery
        query(QStringLiteral(
                  "SELECT client_id, room, text, created_at, failed, error, error_text FROM outbox ORDER BY rowid"),
              m_db);
    while (query.next())
        entries.append({ query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                         query.value(3).toLongLong(), query.value(4).toBool(), query.value(5).toString(),
                         query.value(6).toString() });
    return entries;
}

void LocalStore::removeFromOutbox(const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM outbox WHERE client_id = ?"));
    query.addBindValue(clientId);
    query.exec();
}

void LocalStore::markFailed(const QString &clientId, const QString &error, const QString &errorText)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 1, error = ?, error_text = ? WHERE client_id = ?"));
    query.addBindValue(error);
    query.addBindValue(errorText);
    query.addBindValue(clientId);
    query.exec();
}

void LocalStore::clearFailed(const QString &clientId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 0, error = '', error_text = '' WHERE client_id = ?"));
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
    // Prepared once: it runs for every message received.
    if (!m_insertMessage) {
        m_insertMessage = std::make_unique<QSqlQuery>(m_cacheDb);
        m_insertMessage->prepare(
            QStringLiteral("INSERT OR IGNORE INTO messages (id, room, seq, sender, text, ts, client_id)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    }
    QSqlQuery &query = *m_insertMessage;
    query.addBindValue(message.value(QStringLiteral("id")).toString());
    query.addBindValue(message.value(QStringLiteral("room")).toString());
    query.addBindValue(message.value(QStringLiteral("seq")).toInteger());
    query.addBindValue(message.value(QStringLiteral("from")).toString());
    query.addBindValue(message.value(QStringLiteral("text")).toString());
    query.addBindValue(message.value(QStringLiteral("ts")).toInteger());
    query.addBindValue(message.value(QStringLiteral("clientId")).toString());
    if (!query.exec() || query.numRowsAffected() != 1)
        return false;
    const QString room = message.value(QStringLiteral("room")).toString();
    if (const auto known = m_lastSeqs.find(room); known != m_lastSeqs.end())
        *known = std::max(*known, message.value(QStringLiteral("seq")).toInteger());
    return true;
}

QList<QJsonObject> LocalStore::storeMessages(const QList<QJsonObject> &messages)
{
    QList<QJsonObject> added;
    m_cacheDb.transaction(); // one commit for a page, not one per message
    for (const QJsonObject &message : messages) {
        if (storeMessage(message))
            added.append(message);
    }
    m_cacheDb.commit();
    return added;
}

QList<QJsonObject> LocalStore::selectMessages(const QString &room, const QString &condition, qint64 bound, int limit,
                                              bool newestFirst) const
{
    QList<QJsonObject> result;
    QSqlQuery query(m_cacheDb);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, seq, sender, text, ts, client_id FROM messages WHERE room = ? AND %1"
                                 " ORDER BY seq %2 LIMIT ?")
                      .arg(condition, newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC")));
    query.addBindValue(room);
    query.addBindValue(bound);
    query.addBindValue(limit);
    query.exec();
    while (query.next()) {
        QJsonObject message { { QStringLiteral("room"), room },
                              { QStringLiteral("id"), query.value(0).toString() },
                              { QStringLiteral("seq"), query.value(1).toLongLong() },
                              { QStringLiteral("from"), query.value(2).toString() },
                              { QStringLiteral("text"), query.value(3).toString() },
                              { QStringLiteral("ts"), query.value(4).toLongLong() },
                              { QStringLiteral("clientId"), query.value(5).toString() } };
        if (newestFirst)
            result.prepend(message);
        else
            result.append(message);
    }
    return result;
}

QList<QJsonObject> LocalStore::messages(const QString &room, int limit) const
{
    return messagesBefore(room, std::numeric_limits<qint64>::max(), limit);
}

QList<QJsonObject> LocalStore::messagesBefore(const QString &room, qint64 beforeSeq, int limit) const
{
    return selectMessages(room, QStringLiteral("seq < ?"), beforeSeq, limit, true);
}

QList<QJsonObject> LocalStore::messagesAfter(const QString &room, qint64 afterSeq, int limit) const
{
    return selectMessages(room, QStringLiteral("seq > ?"), afterSeq, limit, false);
}

qint64 LocalStore::lastSeq(const QString &room) const
{
    // Asked for every message received: from memory after the first time.
    if (const auto known = m_lastSeqs.constFind(room); known != m_lastSeqs.cend())
        return *known;
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = ?"));
    query.addBindValue(room);
    const qint64 last = query.exec() && query.next() ? query.value(0).toLongLong() : 0;
    m_lastSeqs.insert(room, last);
    return last;
}

QStringList LocalStore::rooms() const
{
    QStringList result;
    QSqlQuery query(QStringLiteral("SELECT name FROM rooms ORDER BY name"), m_cacheDb);
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

void LocalStore::rememberRoom(const QString &room)
{
    if (m_remembered.contains(room))
        return; // asked for every message: one write per room, not per message
    m_remembered.insert(room);
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO rooms (name) VALUES (?)"));
    query.addBindValue(room);
    query.exec();
}

ReceiptPositions LocalStore::receiptPositions(const QString &room) const
{
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("SELECT delivered, read FROM receipt_positions WHERE room = ?"));
    query.addBindValue(room);
    if (!query.exec() || !query.next())
        return {};
    return { query.value(0).toLongLong(), query.value(1).toLongLong() };
}

void LocalStore::noteReceipt(const QString &room, qint64 seq, bool read)
{
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("INSERT INTO receipt_positions (room, delivered, read) VALUES (?, ?, ?)"
                                 " ON CONFLICT (room) DO UPDATE SET delivered = MAX(delivered, excluded.delivered),"
                                 " read = MAX(read, excluded.read)"));
    query.addBindValue(room);
    query.addBindValue(seq); // read implies delivered
    query.addBindValue(read ? seq : 0);
    query.exec();
}

qint64 LocalStore::readSeq(const QString &room) const
{
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("SELECT seq FROM read_positions WHERE room = ?"));
    query.addBindValue(room);
    return query.exec() && query.next() ? query.value(0).toLongLong() : 0;
}

void LocalStore::setReadSeq(const QString &room, qint64 seq)
{
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("INSERT INTO read_positions (room, seq) VALUES (?, ?)"
                                 " ON CONFLICT (room) DO UPDATE SET seq = MAX(seq, excluded.seq)"));
    query.addBindValue(room);
    query.addBindValue(seq);
    query.exec();
}

QStringList LocalStore::members(const QString &room) const
{
    QStringList result;
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("SELECT user FROM members WHERE room = ? ORDER BY user"));
    query.addBindValue(room);
    query.exec();
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

void LocalStore::setMembers(const QString &room, const QStringList &members)
{
    m_cacheDb.transaction();
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("DELETE FROM members WHERE room = ?"));
    query.addBindValue(room);
    query.exec();
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO members (room, user) VALUES (?, ?)"));
    for (const QString &user : members) {
        query.addBindValue(room);
        query.addBindValue(user);
        query.exec();
    }
    m_cacheDb.commit();
}

void LocalStore::forgetRoom(const QString &room)
{
    m_lastSeqs.remove(room);
    m_remembered.remove(room);
    m_cacheDb.transaction();
    QSqlQuery query(m_cacheDb);
    for (const auto &sql :
         { QStringLiteral("DELETE FROM rooms WHERE name = ?"), QStringLiteral("DELETE FROM messages WHERE room = ?"),
           QStringLiteral("DELETE FROM members WHERE room = ?") }) {
        query.prepare(sql);
        query.addBindValue(room);
        query.exec();
    }
    m_cacheDb.commit();
}

} // namespace Confab::Client
