// Messages: appending (group commit of a pass's appends and changes), reading them back
// at their latest state (history, updates, one by id) with their reactions.
#include "storage/sqlitestore.h"

#include "chat/limits.h"
#include "ops/logging.h"

#include "util/ids.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QVariant>

namespace Confab::Storage {

using Chat::Message;

namespace {

constexpr auto MessageColumns
    = "room, seq, id, sender, client_id, text, ts, rev, edited_at, deleted, reply_to, mentions, attachments";

// A JSON column: NULL when there is nothing to say.
QVariant jsonColumn(const QJsonDocument &document, bool isEmpty)
{
    return isEmpty ? QVariant() : QVariant(QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
}

QJsonDocument jsonOf(const QVariant &column)
{
    return column.isNull() ? QJsonDocument() : QJsonDocument::fromJson(column.toString().toUtf8());
}

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
    message.rev = query.value(7).toLongLong();
    message.editedAt = query.value(8).toLongLong();
    message.deleted = query.value(9).toBool();
    if (const QJsonDocument reply = jsonOf(query.value(10)); reply.isObject())
        message.replyTo = Chat::ReplyQuote::fromJson(reply.object());
    for (const QJsonValue &user : jsonOf(query.value(11)).array())
        message.mentions.append(user.toString());
    for (const QJsonValue &attachment : jsonOf(query.value(12)).array())
        message.attachments.append(Chat::Attachment::fromJson(attachment.toObject()));
    return message;
}

QVariant attachmentsColumn(const QList<Chat::Attachment> &attachments)
{
    QJsonArray list;
    for (const Chat::Attachment &attachment : attachments)
        list.append(attachment.toJson());
    return jsonColumn(QJsonDocument(list), attachments.isEmpty());
}

} // namespace

QVariant SqliteStore::mentionsColumn(const QStringList &mentions)
{
    return jsonColumn(QJsonDocument(QJsonArray::fromStringList(mentions)), mentions.isEmpty());
}

QList<Message> SqliteStore::messages(const QString &where, const QVariantList &bindings)
{
    QList<Message> result;
    QSqlQuery query
        = run(QStringLiteral("SELECT %1 FROM messages WHERE %2").arg(QLatin1String(MessageColumns), where), bindings);
    while (query.next())
        result.append(messageFrom(query));
    attachReactions(result);
    return result;
}

void SqliteStore::attachReactions(QList<Message> &messages)
{
    // One query per room on the page (a page of history is one room; search results may
    // come from several).
    QHash<QString, QJsonArray> seqsByRoom;
    QHash<std::pair<QString, qint64>, Message *> byKey;
    for (Message &message : messages) {
        if (!message.deleted) {
            seqsByRoom[message.room].append(message.seq);
            byKey.insert({ message.room, message.seq }, &message);
        }
    }
    for (auto room = seqsByRoom.cbegin(); room != seqsByRoom.cend(); ++room)
        attachReactions(room.key(), room.value(), byKey);
}

void SqliteStore::attachReactions(const QString &room, const QJsonArray &seqs,
                                  const QHash<std::pair<QString, qint64>, Message *> &byKey)
{
    QSqlQuery query = run(QStringLiteral("SELECT seq, emoji, user FROM reactions"
                                         " WHERE room = ? AND seq IN (SELECT value FROM json_each(?)) ORDER BY rowid"),
                          { room, QString::fromUtf8(QJsonDocument(seqs).toJson()) });
    while (query.next()) {
        QList<Chat::Reaction> &reactions = byKey.value({ room, query.value(0).toLongLong() })->reactions;
        const QString emoji = query.value(1).toString();
        auto it = std::find_if(reactions.begin(), reactions.end(), [&](const auto &r) { return r.emoji == emoji; });
        if (it == reactions.end())
            it = reactions.insert(reactions.end(), Chat::Reaction { emoji, 0, {} });
        ++it->count;
        if (it->users.size() < Chat::MaxReactionUsersListed)
            it->users.append(query.value(2).toString());
    }
}

QList<Message> SqliteStore::history(const QString &room, std::optional<qint64> afterSeq,
                                    std::optional<qint64> beforeSeq, int limit)
{
    const bool newestFirst = !afterSeq.has_value();
    QList<Message> result
        = messages(QStringLiteral("room = ? AND seq > ? AND seq < ? ORDER BY seq %1 LIMIT ?")
                       .arg(newestFirst ? QLatin1String("DESC") : QLatin1String("ASC")),
                   { room, afterSeq.value_or(0), beforeSeq.value_or(std::numeric_limits<qint64>::max()), limit });
    if (newestFirst)
        std::reverse(result.begin(), result.end());
    return result;
}

QList<Message> SqliteStore::updates(const QString &room, qint64 afterRev, int limit)
{
    return messages(QStringLiteral("room = ? AND rev > ? ORDER BY rev LIMIT ?"), { room, afterRev, limit });
}

std::optional<Message> SqliteStore::findMessage(const QString &room, const QByteArray &id)
{
    const QList<Message> found = messages(QStringLiteral("id = ? AND room = ?"), { QString::fromLatin1(id), room });
    return found.isEmpty() ? std::nullopt : std::optional<Message>(found.first());
}

std::optional<Message> SqliteStore::findByClientId(const QString &from, const QString &clientId)
{
    // Every send asks; almost never is it a repeat: one index lookup, the whole message only then.
    QSqlQuery repeat
        = run(QStringLiteral("SELECT room, seq FROM messages WHERE sender = ? AND client_id = ?"), { from, clientId });
    if (!repeat.next())
        return std::nullopt;
    const QList<Message> found = messages(QStringLiteral("room = ? AND seq = ?"), { repeat.value(0), repeat.value(1) });
    return found.isEmpty() ? std::nullopt : std::optional<Message>(found.first());
}

qint64 SqliteStore::lastRev(const QString &room)
{
    QSqlQuery query = run(QStringLiteral("SELECT last_rev FROM rooms WHERE name = ?"), { room });
    return query.next() ? query.value(0).toLongLong() : 0;
}

qint64 SqliteStore::lastSeq(const QString &room)
{
    const auto cached = m_lastSeq.constFind(room);
    if (cached != m_lastSeq.cend())
        return *cached;
    QSqlQuery query = run(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = ?"), { room });
    const qint64 seq = query.next() ? query.value(0).toLongLong() : 0;
    m_lastSeq.insert(room, seq);
    return seq;
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

qint64 SqliteStore::nextRev(const QString &room, int liveDelta)
{
    // Inside the commit's transaction; a failed commit forgets the cached revs (commitPending).
    auto cached = m_lastRev.find(room);
    if (cached == m_lastRev.end())
        cached = m_lastRev.insert(room, lastRev(room));
    const qint64 rev = *cached + 1;
    const int changed
        = write(QStringLiteral("UPDATE rooms SET last_rev = ?, live_count = live_count + ? WHERE name = ?"),
                { rev, liveDelta, room });
    if (changed <= 0) {
        m_lastRev.remove(room);
        return changed == 0 ? 0 : -1;
    }
    *cached = rev;
    return rev;
}

bool SqliteStore::insertMessage(Message &m)
{
    m.rev = nextRev(m.room, 1);
    if (m.rev <= 0) // no such room: this append fails alone
        return m.rev == 0;
    const QVariant replyTo = m.replyTo ? jsonColumn(QJsonDocument(m.replyTo->toJson()), false) : QVariant();
    bool ok = exec(QStringLiteral("INSERT INTO messages (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)")
                       .arg(QLatin1String(MessageColumns)),
                   { m.room, m.seq, QString::fromLatin1(m.id), m.from, m.clientId,
                     m.text.isNull() ? QStringLiteral("") : m.text, m.ts, m.rev, replyTo, mentionsColumn(m.mentions),
                     attachmentsColumn(m.attachments) })
        && exec(QStringLiteral("UPDATE members SET own_after = own_after + 1 WHERE room = ? AND user = ?"),
                { m.room, m.from })
        && setMentions(m.room, m.seq, m.from, {}, m.mentions);
    // Which messages carry which files: who may download them, and what is still referenced.
    for (const Chat::Attachment &attachment : std::as_const(m.attachments)) {
        for (const QByteArray &file : { attachment.id, attachment.thumbnail }) {
            if (!file.isEmpty())
                ok = ok
                    && exec(QStringLiteral("INSERT OR IGNORE INTO message_files (file, room, seq) VALUES (?, ?, ?)"),
                            { QString::fromLatin1(file), m.room, m.seq });
        }
    }
    return ok;
}

void SqliteStore::commitPending()
{
    QList<PendingAppend> batch = std::exchange(m_pending, {});
    QList<PendingChange> changes = std::exchange(m_pendingChanges, {});
    if (batch.isEmpty() && changes.isEmpty() && m_pendingReads.isEmpty() && m_pendingReceipts.isEmpty())
        return;
    bool ok = m_db.transaction();
    for (PendingAppend &pending : batch)
        ok = ok && insertMessage(pending.message);
    for (PendingChange &pending : changes)
        ok = ok && applyChange(pending);
    ok = ok && writePendingReadState() && m_db.commit();
    // Read state is not retried: a write that keeps failing must not fail every later commit.
    const qsizetype readStateWrites = m_pendingReads.size() + m_pendingReceipts.size();
    m_pendingReads.clear();
    m_pendingReceipts.clear();
    noteCommit(ok);
    if (!ok) {
        if (readStateWrites > 0)
            qCWarning(Ops::lcStore, "%d read positions and receipts not written", int(readStateWrites));
        qCWarning(Ops::lcStore, "commit of %d appends and %d changes failed: %s", int(batch.size()),
                  int(changes.size()), qPrintable(m_db.lastError().isValid() ? m_db.lastError().text() : m_lastError));
        m_db.rollback();
        m_lastSeq.clear(); // re-read from disk: the failed seqs and revs were never written
        m_lastRev.clear();
        for (const PendingAppend &pending : std::as_const(batch))
            pending.callback({ std::nullopt, false });
        for (const PendingChange &pending : std::as_const(changes))
            pending.callback({});
        return;
    }
    ++m_commits;
    m_appended += std::count_if(batch.cbegin(), batch.cend(), [](const auto &p) { return p.message.rev > 0; });
    for (const PendingAppend &pending : std::as_const(batch)) {
        if (pending.message.rev > 0) {
            pending.callback({ pending.message, false });
        } else {
            m_lastSeq.remove(pending.message.room);
            pending.callback({ std::nullopt, false });
        }
    }
    for (const PendingChange &pending : std::as_const(changes))
        pending.callback(pending.result);
}

} // namespace Confab::Storage
