#include "localstore.h"

#include "chat/values.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>
#include <QVariant>

#include <iterator>
#include <limits>

namespace Confab::Client {

namespace {

// The message as the cache keeps it: the protocol's own shape, typed on the way in.
QString bodyOf(const QJsonObject &message)
{
    return QString::fromUtf8(QJsonDocument(Chat::Message::fromJson(message).toJson()).toJson(QJsonDocument::Compact));
}

} // namespace

LocalStore::LocalStore()
    : m_connectionName(QStringLiteral("confab-client-%1").arg(QUuid::createUuid().toString(QUuid::Id128)))
{
}

LocalStore::~LocalStore()
{
    m_kept.clear();
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
             "CREATE TABLE IF NOT EXISTS room_sync (room TEXT PRIMARY KEY, last_rev INTEGER NOT NULL DEFAULT 0,"
             " unread INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0)",
         }) {
        if (!query.exec(QString::fromLatin1(statement))) {
            *error = query.lastError().text();
            return false;
        }
    }
    if (!migrate(error) || !ensureSearchIndex(error))
        return false;

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

// Columns added since the first release, added in place to an existing client database
// (its outbox may hold what the user wrote offline).
bool LocalStore::migrate(QString *error)
{
    const struct
    {
        const char *table;
        const char *column;
        const char *definition;
    } added[] = {
        { "outbox", "error_text", "TEXT NOT NULL DEFAULT ''" },    { "outbox", "kind", "TEXT NOT NULL DEFAULT 'send'" },
        { "outbox", "message_id", "TEXT NOT NULL DEFAULT ''" },    { "outbox", "reply_to", "TEXT NOT NULL DEFAULT ''" },
        { "outbox", "reaction_on", "INTEGER NOT NULL DEFAULT 1" }, { "messages", "rev", "INTEGER NOT NULL DEFAULT 0" },
        { "messages", "body", "TEXT NOT NULL DEFAULT ''" },      // the message's JSON; '' for rows from before
        { "outbox", "attachments", "TEXT NOT NULL DEFAULT ''" }, // [OutboxAttachment] as JSON; '': none
    };
    QSqlQuery query(m_db);
    for (const auto &column : added) {
        query.exec(QStringLiteral("SELECT 1 FROM pragma_table_info('%1') WHERE name = '%2'")
                       .arg(QLatin1String(column.table), QLatin1String(column.column)));
        if (query.next())
            continue;
        if (!query.exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3")
                            .arg(QLatin1String(column.table), QLatin1String(column.column),
                                 QLatin1String(column.definition)))) {
            *error = query.lastError().text();
            return false;
        }
    }
    return true;
}

bool LocalStore::storeMessage(const QJsonObject &message)
{
    static const QString insert
        = QStringLiteral("INSERT OR IGNORE INTO messages (id, room, seq, sender, text, ts, client_id, rev, body)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const QString room = message.value(QStringLiteral("room")).toString();
    const qint64 seq = message.value(QStringLiteral("seq")).toInteger();
    if (!execKept(insert,
                  { message.value(QStringLiteral("id")).toString(), room, seq,
                    message.value(QStringLiteral("from")).toString(), message.value(QStringLiteral("text")).toString(),
                    message.value(QStringLiteral("ts")).toInteger(),
                    message.value(QStringLiteral("clientId")).toString(),
                    message.value(QStringLiteral("rev")).toInteger(), bodyOf(message) }))
        return false;
    if (kept(insert).numRowsAffected() != 1) {
        applyUpdate(message); // history answers with the current state: keep the newest
        return false;
    }
    if (const auto known = m_lastSeqs.find(room); known != m_lastSeqs.end())
        *known = std::max(*known, seq);
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

bool LocalStore::applyUpdate(const QJsonObject &message)
{
    static const QString update
        = QStringLiteral("UPDATE messages SET text = ?, rev = ?, body = ? WHERE id = ? AND rev < ?");
    const qint64 rev = message.value(QStringLiteral("rev")).toInteger();
    return execKept(update,
                    { message.value(QStringLiteral("text")).toString(), rev, bodyOf(message),
                      message.value(QStringLiteral("id")).toString(), rev })
        && kept(update).numRowsAffected() == 1;
}

QSqlQuery &LocalStore::kept(const QString &sql) const
{
    std::shared_ptr<QSqlQuery> &query = m_kept[sql];
    if (!query) {
        query = std::make_shared<QSqlQuery>(m_cacheDb);
        query->prepare(sql);
    }
    return *query;
}

bool LocalStore::execKept(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery &query = kept(sql);
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    return query.exec();
}

QVariantList LocalStore::firstRow(const QString &sql, const QVariantList &bindings) const
{
    QSqlQuery &query = kept(sql);
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    QVariantList row;
    if (query.exec() && query.next()) {
        for (int i = 0; i < query.record().count(); ++i)
            row.append(query.value(i));
    }
    query.finish(); // a read left open would hold its snapshot
    return row;
}

qint64 LocalStore::lastRev(const QString &room) const
{
    const QVariantList row = firstRow(QStringLiteral("SELECT last_rev FROM room_sync WHERE room = ?"), { room });
    return row.isEmpty() ? 0 : row.at(0).toLongLong();
}

void LocalStore::setLastRev(const QString &room, qint64 rev)
{
    execKept(QStringLiteral("INSERT INTO room_sync (room, last_rev) VALUES (?, ?)"
                            " ON CONFLICT (room) DO UPDATE SET last_rev = excluded.last_rev"),
             { room, rev });
}

RoomCounts LocalStore::roomCounts(const QString &room) const
{
    const QVariantList row
        = firstRow(QStringLiteral("SELECT unread, mentions FROM room_sync WHERE room = ?"), { room });
    if (row.isEmpty())
        return {};
    return { row.at(0).toLongLong(), row.at(1).toLongLong() };
}

void LocalStore::setRoomCounts(const QString &room, const RoomCounts &counts)
{
    execKept(QStringLiteral("INSERT INTO room_sync (room, unread, mentions) VALUES (?, ?, ?) ON CONFLICT (room)"
                            " DO UPDATE SET unread = excluded.unread, mentions = excluded.mentions"),
             { room, counts.unread, counts.mentions });
}

void LocalStore::forgetMessages(const QString &room)
{
    m_lastSeqs.remove(room);
    QSqlQuery query(m_cacheDb);
    query.prepare(QStringLiteral("DELETE FROM messages WHERE room = ?"));
    query.addBindValue(room);
    query.exec();
    setLastRev(room, 0);
}

// A row of "SELECT id, seq, sender, text, ts, client_id, body": the message as stored.
QJsonObject LocalStore::cachedMessage(const QSqlQuery &query, const QString &room)
{
    QJsonObject message = QJsonDocument::fromJson(query.value(6).toString().toUtf8()).object();
    if (message.isEmpty()) // cached before v2
        message = { { QStringLiteral("room"), room },
                    { QStringLiteral("id"), query.value(0).toString() },
                    { QStringLiteral("seq"), query.value(1).toLongLong() },
                    { QStringLiteral("from"), query.value(2).toString() },
                    { QStringLiteral("text"), query.value(3).toString() },
                    { QStringLiteral("ts"), query.value(4).toLongLong() },
                    { QStringLiteral("clientId"), query.value(5).toString() } };
    return message;
}

QList<QJsonObject> LocalStore::selectMessages(const QString &room, const QString &condition, qint64 bound, int limit,
                                              bool newestFirst) const
{
    QList<QJsonObject> result;
    QSqlQuery query(m_cacheDb);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, seq, sender, text, ts, client_id, body FROM messages WHERE room = ? AND %1"
                                 " ORDER BY seq %2 LIMIT ?")
                      .arg(condition, newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC")));
    query.addBindValue(room);
    query.addBindValue(bound);
    query.addBindValue(limit);
    query.exec();
    while (query.next()) {
        const QJsonObject message = cachedMessage(query, room);
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
    const QVariantList row
        = firstRow(QStringLiteral("SELECT delivered, read FROM receipt_positions WHERE room = ?"), { room });
    if (row.isEmpty())
        return {};
    return { row.at(0).toLongLong(), row.at(1).toLongLong() };
}

void LocalStore::noteReceipt(const QString &room, qint64 seq, bool read)
{
    execKept(QStringLiteral("INSERT INTO receipt_positions (room, delivered, read) VALUES (?, ?, ?)"
                            " ON CONFLICT (room) DO UPDATE SET delivered = MAX(delivered, excluded.delivered),"
                            " read = MAX(read, excluded.read)"),
             { room, seq, read ? seq : 0 }); // read implies delivered
}

qint64 LocalStore::readSeq(const QString &room) const
{
    const QVariantList row = firstRow(QStringLiteral("SELECT seq FROM read_positions WHERE room = ?"), { room });
    return row.isEmpty() ? 0 : row.at(0).toLongLong();
}

void LocalStore::setReadSeq(const QString &room, qint64 seq)
{
    execKept(QStringLiteral("INSERT INTO read_positions (room, seq) VALUES (?, ?)"
                            " ON CONFLICT (room) DO UPDATE SET seq = MAX(seq, excluded.seq)"),
             { room, seq });
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
           QStringLiteral("DELETE FROM members WHERE room = ?"),
           QStringLiteral("DELETE FROM room_sync WHERE room = ?") }) {
        query.prepare(sql);
        query.addBindValue(room);
        query.exec();
    }
    m_cacheDb.commit();
}

} // namespace Confab::Client
