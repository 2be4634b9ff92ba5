// The store's schema, as the steps that build it: v1 (what the first release created,
// and still the base of a new database) and the in-place migrations to v2 ... v6. PRAGMA
// user_version says which step a database is at; v1 never set it, so v1 is 0.
#include "storage/sqlitestore.h"

#include "chat/fulltext.h"

namespace Confab::Storage {

namespace {

// Exactly as v1 created it (IF NOT EXISTS: a no-op on a v1 database).
const char *const SchemaV1[] = {
    "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash BLOB NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY, topic TEXT NOT NULL DEFAULT '',"
    " is_direct INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS members (room TEXT NOT NULL, user TEXT NOT NULL, PRIMARY KEY (room, user))",
    "CREATE INDEX IF NOT EXISTS members_by_user ON members (user)",
    "CREATE TABLE IF NOT EXISTS messages (room TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,"
    " sender TEXT NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL,"
    " PRIMARY KEY (room, seq), UNIQUE (sender, client_id))",
    "CREATE TABLE IF NOT EXISTS receipts (room TEXT NOT NULL, user TEXT NOT NULL, kind TEXT NOT NULL,"
    " seq INTEGER NOT NULL, PRIMARY KEY (room, user, kind))",
    "CREATE TABLE IF NOT EXISTS last_seen (user TEXT PRIMARY KEY, at INTEGER NOT NULL)",
};

// v1 -> v2. Counters (see sqlitechanges.cpp) are computed once here from history;
// every v1 message is live, has no mentions, and takes rev = seq.
const char *const MigrationV2[] = {
    "ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN reply_to TEXT", // ReplyQuote as JSON; NULL: none
    "ALTER TABLE messages ADD COLUMN mentions TEXT", // JSON array as the service gave it; NULL: none
    "UPDATE messages SET rev = seq",
    "CREATE UNIQUE INDEX messages_by_rev ON messages (room, rev)",
    "CREATE INDEX messages_by_id ON messages (id)",
    // Ordered by rowid: first reaction first (a new row's rowid is above every live one).
    "CREATE TABLE reactions (room TEXT NOT NULL, seq INTEGER NOT NULL, emoji TEXT NOT NULL, user TEXT NOT NULL,"
    " at INTEGER NOT NULL, PRIMARY KEY (room, seq, emoji, user))",
    // Who a live message mentions, its sender left out: what mention counts are made of.
    "CREATE TABLE mentions (room TEXT NOT NULL, seq INTEGER NOT NULL, user TEXT NOT NULL,"
    " PRIMARY KEY (room, user, seq))",
    "CREATE INDEX mentions_by_seq ON mentions (room, seq)",
    "ALTER TABLE rooms ADD COLUMN last_rev INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE rooms ADD COLUMN live_count INTEGER NOT NULL DEFAULT 0",
    "UPDATE rooms SET last_rev = (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = rooms.name),"
    " live_count = (SELECT COUNT(*) FROM messages WHERE room = rooms.name)",
    "ALTER TABLE members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE members ADD COLUMN live_read INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE members ADD COLUMN own_after INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE members ADD COLUMN mentions_after INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE members ADD COLUMN read_at INTEGER", // orders room:reads; NULL: no read position
    // v1 'read' receipts become read positions (clamped to the room's last seq).
    "UPDATE members SET read_at = 0, read_seq = MIN("
    " (SELECT seq FROM receipts r WHERE r.room = members.room AND r.user = members.user AND r.kind = 'read'),"
    " (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = members.room))"
    " WHERE EXISTS (SELECT 1 FROM receipts r WHERE r.room = members.room AND r.user = members.user"
    " AND r.kind = 'read')",
    "UPDATE members SET"
    " live_read = (SELECT COUNT(*) FROM messages WHERE room = members.room AND seq <= members.read_seq),"
    " own_after = (SELECT COUNT(*) FROM messages WHERE room = members.room AND seq > members.read_seq"
    " AND sender = members.user)",
    "CREATE INDEX members_by_read ON members (room, read_at)",
};

// v3 -> v4: uploads (sqlitefiles.cpp) and the files messages carry.
const char *const MigrationV4[] = {
    "CREATE TABLE files (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, name TEXT NOT NULL,"
    " type TEXT NOT NULL, size INTEGER NOT NULL, uploader TEXT NOT NULL, created_at INTEGER NOT NULL)",
    "CREATE INDEX files_by_uploader ON files (uploader, sha256)",
    "CREATE INDEX files_by_sha256 ON files (sha256)",
    "ALTER TABLE messages ADD COLUMN attachments TEXT", // [Attachment] as JSON; NULL: none
    // Kept when a message is deleted (its deleted flag decides); what refers to a file.
    "CREATE TABLE message_files (file TEXT NOT NULL, room TEXT NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY (file, room, seq))",
};

// v5 -> v6: rooms' visibility and roles (sqliterooms.cpp). A v1-v5 room is public and
// its owner is its first member still there (the creator, unless they left: members'
// rowids are in join order); a direct-message room is private and has no owner.
const char *const MigrationV6[] = {
    "ALTER TABLE rooms ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'",
    "ALTER TABLE rooms ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0",
    "UPDATE rooms SET visibility = 'private' WHERE is_direct = 1",
    "ALTER TABLE members ADD COLUMN role TEXT NOT NULL DEFAULT 'member'",
    "UPDATE members SET role = 'owner' WHERE rowid IN (SELECT (SELECT m.rowid FROM members m"
    " WHERE m.room = r.name ORDER BY m.rowid LIMIT 1) FROM rooms r WHERE r.is_direct = 0)",
    "CREATE TABLE bans (room TEXT NOT NULL, user TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (room, user))",
};

} // namespace

bool SqliteStore::migrate(QString *error)
{
    QSqlQuery version = run(QStringLiteral("PRAGMA user_version"));
    const int current = version.next() ? version.value(0).toInt() : -1;
    version.finish();
    if (current == SchemaVersion)
        return true;
    if (current < 0 || current > SchemaVersion) {
        *error = QStringLiteral("schema version %1 is not one this server knows (it knows up to %2)")
                     .arg(current)
                     .arg(SchemaVersion);
        return false;
    }
    // All steps in one transaction: a failure leaves the database as it was.
    bool ok = m_db.transaction();
    for (const char *statement : SchemaV1)
        ok = ok && exec(QString::fromLatin1(statement));
    if (current < 2)
        ok = ok && runAll(MigrationV2);
    if (current < 4)
        ok = ok && runAll(MigrationV4);
    if (current < 6)
        ok = ok && runAll(MigrationV6);
    // v3: full-text search, built from history; v5: the same with prefix indexes, rebuilt.
    if (current >= 3)
        ok = ok && runAll(Chat::DropMessagesFullTextIndex);
    ok = ok && runAll(Chat::MessagesFullTextIndex);
    ok = ok && exec(QStringLiteral("PRAGMA user_version = %1").arg(SchemaVersion));
    ok = ok && m_db.commit();
    if (!ok) {
        *error = QStringLiteral("cannot migrate the schema from version %1 to %2 (the database is unchanged): %3")
                     .arg(current)
                     .arg(SchemaVersion)
                     .arg(m_lastError);
        m_db.rollback();
    }
    return ok;
}

template<size_t N> bool SqliteStore::runAll(const char *const (&statements)[N])
{
    for (const char *statement : statements) {
        if (!exec(QString::fromLatin1(statement)))
            return false;
    }
    return true;
}

} // namespace Confab::Storage
