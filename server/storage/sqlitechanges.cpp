// Changes to existing messages (edit, delete, reactions), and the unread and mention
// counters they move (the counters are described in sqlitereadstate.cpp).
#include "storage/sqlitestore.h"

#include "chat/limits.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QVariant>

namespace Confab::Storage {

using Chat::Error;
using Chat::ErrorCode;
using Chat::Message;

void SqliteStore::change(const ChangeRequest &request, ChangeCallback callback)
{
    // Applied at the end of the pass, inside its transaction, after the pass's appends:
    // each change sees the ones queued before it.
    m_pendingChanges.append({ request, std::move(callback), {} });
    m_commit.schedule();
}

bool SqliteStore::applyChange(PendingChange &pending)
{
    const ChangeRequest &request = pending.request;
    ChangeResult &result = pending.result;
    const std::optional<Message> message = findMessage(request.room, request.id);
    if (!message) {
        result.refusal = Error { ErrorCode::NotFound, QStringLiteral("no such message in this room") };
        return true;
    }
    bool ok = false;
    switch (request.kind) {
    case ChangeRequest::Kind::Edit: ok = applyEdit(request, *message, result); break;
    case ChangeRequest::Kind::Delete: ok = applyDelete(request, *message, result); break;
    case ChangeRequest::Kind::React: ok = applyReaction(request, *message, result); break;
    }
    if (!ok || result.refusal)
        return ok;
    result.message = result.changed ? findMessage(request.room, request.id) : message;
    return result.message.has_value();
}

bool SqliteStore::applyEdit(const ChangeRequest &request, const Message &message, ChangeResult &result)
{
    if (message.from != request.user) {
        result.refusal = Error { ErrorCode::Forbidden, QStringLiteral("only its sender may edit a message") };
        return true;
    }
    if (message.deleted) {
        result.refusal = Error { ErrorCode::Conflict, QStringLiteral("the message is deleted") };
        return true;
    }
    if (message.text == request.text)
        return true;
    const qint64 rev = nextRev(message.room, 0);
    const qint64 editedAt = request.ts > 0 ? request.ts : QDateTime::currentMSecsSinceEpoch();
    result.changed = rev > 0
        && exec(QStringLiteral("UPDATE messages SET text = ?, edited_at = ?, mentions = ?, rev = ?"
                               " WHERE room = ? AND seq = ?"),
                { request.text, editedAt, mentionsColumn(request.mentions), rev, message.room, message.seq })
        && setMentions(message.room, message.seq, message.from, message.mentions, request.mentions);
    return result.changed;
}

bool SqliteStore::applyDelete(const ChangeRequest &request, const Message &message, ChangeResult &result)
{
    if (message.from != request.user && !request.mayDeleteOthers) {
        result.refusal = Error { ErrorCode::Forbidden, QStringLiteral("only its sender or a moderator may delete it") };
        return true;
    }
    if (message.deleted)
        return true;
    const qint64 rev = nextRev(message.room, -1);
    // Readers past it had counted it as read; its sender, if before it, as their own.
    result.changed = rev > 0
        && exec(QStringLiteral("UPDATE members SET live_read = live_read - (read_seq >= ?2),"
                               " own_after = own_after - (user = ?3 AND read_seq < ?2)"
                               " WHERE room = ?1 AND (read_seq >= ?2 OR user = ?3)"),
                { message.room, message.seq, message.from })
        && setMentions(message.room, message.seq, message.from, message.mentions, {})
        && exec(QStringLiteral("DELETE FROM reactions WHERE room = ? AND seq = ?"), { message.room, message.seq })
        && exec(QStringLiteral("UPDATE messages SET deleted = 1, text = '', reply_to = NULL, mentions = NULL,"
                               " attachments = NULL, rev = ?"
                               " WHERE room = ? AND seq = ?"),
                { rev, message.room, message.seq });
    return result.changed;
}

bool SqliteStore::applyReaction(const ChangeRequest &request, const Message &message, ChangeResult &result)
{
    if (message.deleted) {
        result.refusal = Error { ErrorCode::Conflict, QStringLiteral("the message is deleted") };
        return true;
    }
    const QVariantList key { message.room, message.seq, request.emoji, request.user };
    QSqlQuery existing
        = run(QStringLiteral("SELECT 1 FROM reactions WHERE room = ? AND seq = ? AND emoji = ? AND user = ?"), key);
    if (!existing.isActive())
        return false;
    if (existing.next() == request.on)
        return true; // already so
    const bool known = std::any_of(message.reactions.cbegin(), message.reactions.cend(),
                                   [&](const Chat::Reaction &r) { return r.emoji == request.emoji; });
    if (request.on && !known && message.reactions.size() >= Chat::MaxDistinctReactions) {
        result.refusal
            = Error { ErrorCode::TooLarge,
                      QStringLiteral("at most %1 different reactions to a message").arg(Chat::MaxDistinctReactions) };
        return true;
    }
    const qint64 rev = nextRev(message.room, 0);
    const bool written = request.on
        ? exec(QStringLiteral("INSERT INTO reactions (room, seq, emoji, user, at) VALUES (?, ?, ?, ?, ?)"),
               key + QVariantList { QDateTime::currentMSecsSinceEpoch() })
        : exec(QStringLiteral("DELETE FROM reactions WHERE room = ? AND seq = ? AND emoji = ? AND user = ?"), key);
    result.changed = rev > 0 && written
        && exec(QStringLiteral("UPDATE messages SET rev = ? WHERE room = ? AND seq = ?"),
                { rev, message.room, message.seq });
    return result.changed;
}

bool SqliteStore::setMentions(const QString &room, qint64 seq, const QString &sender, const QStringList &before,
                              const QStringList &after)
{
    // Members no longer (or newly) named by a message after their read position lose
    // (or gain) a mention; then the message's rows are replaced.
    const QString names = QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(after)).toJson());
    const QVariantList bindings { room, seq, names, sender };
    const bool ok = (before.isEmpty()
                     || exec(QStringLiteral("UPDATE members SET mentions_after = mentions_after - 1"
                                            " WHERE room = ?1 AND read_seq < ?2"
                                            " AND user IN (SELECT user FROM mentions WHERE room = ?1 AND seq = ?2)"
                                            " AND user NOT IN (SELECT value FROM json_each(?3))"),
                             bindings.mid(0, 3)))
        && (after.isEmpty()
            || exec(QStringLiteral("UPDATE members SET mentions_after = mentions_after + 1"
                                   " WHERE room = ?1 AND read_seq < ?2 AND user != ?4"
                                   " AND user IN (SELECT value FROM json_each(?3))"
                                   " AND user NOT IN (SELECT user FROM mentions WHERE room = ?1 AND seq = ?2)"),
                    bindings));
    return ok
        && (before.isEmpty()
            || exec(QStringLiteral("DELETE FROM mentions WHERE room = ? AND seq = ?"), bindings.mid(0, 2)))
        && (after.isEmpty()
            || exec(QStringLiteral("INSERT OR IGNORE INTO mentions (room, seq, user)"
                                   " SELECT ?1, ?2, value FROM json_each(?3) WHERE value != ?4"),
                    bindings));
}

} // namespace Confab::Storage
