// Read state: receipts, read positions, and the unread and mention counts they move.
//
// Unread and mention counts are kept, never counted from history. Each room row has
// live_count (messages not deleted); each member row has read_seq, live_read (live
// messages at or before read_seq), own_after (the member's own live messages after
// it) and mentions_after (live messages after it that mention the member, sender
// left out). unread = live_count - live_read - own_after. Appends, deletes, edits
// that change mentions and read moves adjust them in the same transaction, each at a
// cost proportional to what it touches.
//
// Receipts and read positions are worth keeping, not worth a disk sync each: they are
// coalesced per (room, user[, kind]) and written in the pass's group commit with the
// appends and changes (commitPending). Until then the answers here include them.
#include "storage/sqlitestore.h"

#include <QDateTime>

#include <algorithm>

namespace Confab::Storage {

namespace {

constexpr auto ReadStateQuery = "SELECT m.room, m.read_seq, r.live_count - m.live_read - m.own_after, m.mentions_after"
                                " FROM members m JOIN rooms r ON r.name = m.room WHERE m.user = ?";

// The state were the position moved to ?3: what (read_seq, ?3] holds stops counting.
constexpr auto MovedReadStateQuery
    = "SELECT MAX(m.read_seq, ?3),"
      " r.live_count - m.live_read - m.own_after - (SELECT COUNT(*) FROM messages"
      "  WHERE room = ?1 AND seq > m.read_seq AND seq <= ?3 AND deleted = 0 AND sender != ?2),"
      " m.mentions_after - (SELECT COUNT(*) FROM mentions WHERE room = ?1 AND user = ?2"
      "  AND seq > m.read_seq AND seq <= ?3)"
      " FROM members m JOIN rooms r ON r.name = m.room WHERE m.room = ?1 AND m.user = ?2";

} // namespace

void SqliteStore::setReceipt(const QString &room, const QString &user, const QString &kind, qint64 seq)
{
    qint64 &pending = m_pendingReceipts[{ room, user, kind }];
    pending = std::max(pending, seq);
    m_commit.schedule();
}

Chat::Store::ReadState SqliteStore::setReadPosition(const QString &room, const QString &user, qint64 seq)
{
    // Clamped to the last committed message: a position past it would count messages
    // not yet sent as read.
    const qint64 lastSeq = select(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = ?"), { room },
                                  [](QSqlQuery &last) { return last.next() ? last.value(0).toLongLong() : 0; });
    const auto pending = m_pendingReads.find({ room, user });
    qint64 target = std::min(seq, lastSeq);
    if (pending != m_pendingReads.end()) {
        if (target > pending->seq)
            *pending = { target, ++m_readMoves };
        target = pending->seq;
    } else if (target > 0) {
        m_pendingReads.insert({ room, user }, { target, ++m_readMoves });
        m_commit.schedule();
    }
    ReadState state = movedReadState(room, user, target).value_or(ReadState {});
    state.countedUpTo = lastSeq;
    return state;
}

std::optional<Chat::Store::ReadState> SqliteStore::movedReadState(const QString &room, const QString &user,
                                                                  qint64 target)
{
    static const QString statement = QLatin1String(MovedReadStateQuery);
    return select(statement, { room, user, target }, [](QSqlQuery &query) -> std::optional<ReadState> {
        if (!query.next())
            return std::nullopt;
        return ReadState { query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toLongLong() };
    });
}

QList<std::pair<QString, SqliteStore::PendingRead>> SqliteStore::pendingReadsInOrder(const QString &room) const
{
    QList<std::pair<QString, PendingRead>> moves;
    for (auto read = m_pendingReads.cbegin(); read != m_pendingReads.cend(); ++read) {
        if (read.key().first == room)
            moves.append({ read.key().second, read.value() });
    }
    std::sort(moves.begin(), moves.end(), [](const auto &a, const auto &b) { return a.second.order < b.second.order; });
    return moves;
}

// In the group commit's transaction, after the pass's appends and changes; in the order
// the positions moved, so that read_at keeps it.
bool SqliteStore::writePendingReadState()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<std::pair<QString, QString>> reads = m_pendingReads.keys();
    std::sort(reads.begin(), reads.end(),
              [this](const auto &a, const auto &b) { return m_pendingReads[a].order < m_pendingReads[b].order; });
    for (const auto &[room, user] : std::as_const(reads)) {
        // read_at orders room:reads: the clock, kept strictly increasing within the room.
        if (!exec(QStringLiteral("UPDATE members SET"
                                 " live_read = live_read + (SELECT COUNT(*) FROM messages"
                                 "  WHERE room = ?1 AND seq > members.read_seq AND seq <= ?3 AND deleted = 0),"
                                 " own_after = own_after - (SELECT COUNT(*) FROM messages"
                                 "  WHERE room = ?1 AND seq > members.read_seq AND seq <= ?3 AND deleted = 0"
                                 "  AND sender = ?2),"
                                 " mentions_after = mentions_after - (SELECT COUNT(*) FROM mentions"
                                 "  WHERE room = ?1 AND user = ?2 AND seq > members.read_seq AND seq <= ?3),"
                                 " read_at = MAX(?4, (SELECT COALESCE(MAX(read_at), 0) + 1 FROM members"
                                 "  WHERE room = ?1)),"
                                 " read_seq = ?3"
                                 " WHERE room = ?1 AND user = ?2 AND read_seq < ?3"),
                  { room, user, m_pendingReads.value({ room, user }).seq, now }))
            return false;
    }
    for (auto receipt = m_pendingReceipts.cbegin(); receipt != m_pendingReceipts.cend(); ++receipt) {
        const auto &[room, user, kind] = receipt.key();
        if (!exec(QStringLiteral("INSERT INTO receipts (room, user, kind, seq) VALUES (?, ?, ?, ?)"
                                 " ON CONFLICT (room, user, kind) DO UPDATE SET seq = MAX(seq, excluded.seq)"),
                  { room, user, kind, receipt.value() }))
            return false;
    }
    return true;
}

std::optional<Chat::Store::ReadState> SqliteStore::readState(const QString &room, const QString &user)
{
    const auto pending = m_pendingReads.constFind({ room, user });
    if (pending != m_pendingReads.cend())
        return movedReadState(room, user, pending->seq);
    QSqlQuery query = run(QLatin1String(ReadStateQuery) + QLatin1String(" AND m.room = ?"), { user, room });
    if (!query.next())
        return std::nullopt;
    return ReadState { query.value(1).toLongLong(), query.value(2).toLongLong(), query.value(3).toLongLong() };
}

QHash<QString, Chat::Store::ReadState> SqliteStore::readStates(const QString &user)
{
    QHash<QString, ReadState> result;
    QSqlQuery query = run(QLatin1String(ReadStateQuery), { user });
    while (query.next())
        result.insert(query.value(0).toString(),
                      ReadState { query.value(1).toLongLong(), query.value(2).toLongLong(),
                                  query.value(3).toLongLong() });
    query.finish();
    for (auto read = m_pendingReads.cbegin(); read != m_pendingReads.cend(); ++read) {
        if (read.key().second == user) {
            if (const auto moved = movedReadState(read.key().first, user, read.value().seq))
                result.insert(read.key().first, *moved);
        }
    }
    return result;
}

QMap<QString, qint64> SqliteStore::readPositions(const QString &room, int limit)
{
    // Positions still to be written moved last: they are the most recent.
    QMap<QString, qint64> result;
    const auto moves = pendingReadsInOrder(room);
    for (auto move = moves.crbegin(); move != moves.crend() && result.size() < limit; ++move)
        result.insert(move->first, move->second.seq);
    QSqlQuery query = run(QStringLiteral("SELECT user, read_seq FROM members WHERE room = ? AND read_at IS NOT NULL"
                                         " ORDER BY read_at DESC LIMIT ?"),
                          { room, limit });
    while (result.size() < limit && query.next()) {
        if (!result.contains(query.value(0).toString()))
            result.insert(query.value(0).toString(), query.value(1).toLongLong());
    }
    return result;
}

} // namespace Confab::Storage
