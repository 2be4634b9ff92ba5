// Full-text search as the server's store and the client's cache both do it, so both find
// the same: an external-content SQLite FTS5 index over a `messages` table's `text`, kept
// in step by triggers (an insert, an edit or a delete changes it in the same
// transaction), and the query a person's typed words become.
#pragma once

#include <QString>

namespace Confab::Chat {

// Creates the index and its triggers, then builds it from the rows already there. The
// prefix indexes answer a short word still being typed ("de" of "deploy") from one list
// instead of merging the lists of every word it starts (100 ms → a few over 1M messages).
inline constexpr const char *MessagesFullTextIndex[] = {
    "CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='rowid',"
    " tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')",
    "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
    " INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
    " INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN"
    " INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);"
    " INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text); END",
    "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')",
};

// Drops an index made by an earlier MessagesFullTextIndex (before it is made again).
inline constexpr const char *DropMessagesFullTextIndex[] = {
    "DROP TRIGGER IF EXISTS messages_fts_insert",
    "DROP TRIGGER IF EXISTS messages_fts_delete",
    "DROP TRIGGER IF EXISTS messages_fts_update",
    "DROP TABLE IF EXISTS messages_fts",
};
// Whether an existing index (its CREATE statement) is the current one.
inline bool isCurrentFullTextIndex(const QString &createStatement)
{
    return createStatement.contains(QLatin1String("prefix='1 2 3'"));
}

// The typed words as an FTS5 query: each word a quoted string (nothing in it is FTS5
// syntax), all required in any order, the last one also as a prefix (the word still
// being typed). Empty when there is no word.
QString fullTextQuery(const QString &typed);

} // namespace Confab::Chat
