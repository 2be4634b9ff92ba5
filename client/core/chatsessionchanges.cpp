// ChatSession, protocol v2: edits, deletes and reactions through the outbox, changes
// applied to the cache (message:update live, updates:fetch after a reconnect or a gap
// in revs) and read state that follows the user across devices (`read`).
#include "chatsession.h"

#include "chat/events.h"

#include <algorithm>
#include <utility>

namespace Confab::Client {

using namespace Confab::Chat;

namespace {

// What the server is asked for an outbox change.
std::pair<QString, QJsonObject> changeRequest(const OutboxEntry &entry)
{
    switch (entry.kind) {
    case OutboxKind::Edit:
        return { Event::MessageEdit, EditMessageRequest { entry.room, entry.messageId, entry.text }.toJson() };
    case OutboxKind::Delete:
        return { Event::MessageDelete, DeleteMessageRequest { entry.room, entry.messageId }.toJson() };
    case OutboxKind::React:
        return { Event::ReactionSet,
                 SetReactionRequest { entry.room, entry.messageId, entry.text, entry.on }.toJson() };
    case OutboxKind::Send: break;
    }
    return {};
}

// A change refused for good: sending it again cannot help. Conflict too (an edit of a
// deleted message stays refused), or the change would block the outbox for ever.
bool isFinalRefusal(const Error &error)
{
    return error.isPermanent() || error.code == ErrorCode::Conflict;
}

} // namespace

std::optional<OutboxEntry> ChatSession::editMessage(const QString &room, const QByteArray &id, const QString &text,
                                                    QString *error)
{
    OutboxEntry entry;
    entry.kind = OutboxKind::Edit;
    entry.room = room;
    entry.messageId = id;
    entry.text = text;
    return queueChange(entry, error);
}

std::optional<OutboxEntry> ChatSession::deleteMessage(const QString &room, const QByteArray &id, QString *error)
{
    OutboxEntry entry;
    entry.kind = OutboxKind::Delete;
    entry.room = room;
    entry.messageId = id;
    return queueChange(entry, error);
}

std::optional<OutboxEntry> ChatSession::setReaction(const QString &room, const QByteArray &id, const QString &emoji,
                                                    bool on, QString *error)
{
    OutboxEntry entry;
    entry.kind = OutboxKind::React;
    entry.room = room;
    entry.messageId = id;
    entry.text = emoji;
    entry.on = on;
    return queueChange(entry, error);
}

std::optional<OutboxEntry> ChatSession::queueChange(const OutboxEntry &entry, QString *error)
{
    const std::optional<OutboxEntry> queued = m_store.enqueueChange(entry, error);
    if (!queued)
        return queued;
    Q_EMIT changeQueued(*queued);
    Q_EMIT pendingCountChanged(pendingCount());
    if (m_synced)
        flushOutbox();
    return queued;
}

// Edits, deletes and reactions are idempotent on the server, so one sent again after a
// lost ack is still applied once.
void ChatSession::sendChange(const OutboxEntry &entry)
{
    const auto [event, payload] = changeRequest(entry);
    request(event, payload, [this, entry](const QJsonObject &answer) {
        m_flushing = false;
        const std::optional<Error> error = answerError(answer);
        if (error && !isFinalRefusal(*error))
            return retryOutboxLater();
        m_store.removeFromOutbox(entry.clientId);
        if (error)
            Q_EMIT changeRefused(entry, *error);
        else
            Q_EMIT changeApplied(entry, EditAnswer::fromJson(answer));
        Q_EMIT pendingCountChanged(pendingCount());
        flushOutbox();
    });
}

void ChatSession::fetchUpdates(const QString &room, qint64 afterRev, Callback<UpdatesAnswer> done, int limit)
{
    call(Event::UpdatesFetch, UpdatesRequest { room, afterRev, limit }.toJson(), std::move(done));
}

void ChatSession::fetchReads(const QString &room, Callback<ReadsAnswer> done)
{
    call(Event::RoomReads, RoomRequest { room }.toJson(), std::move(done));
}

void ChatSession::refreshReadPositions(const QString &room)
{
    if (!isOnline())
        return;
    fetchReads(room, [this, room](const Result<ReadsAnswer> &answer) {
        if (!answer)
            return; // not a member any more, or offline again: the live receipts still count
        qint64 furthest = 0;
        for (auto reader = answer->reads.cbegin(); reader != answer->reads.cend(); ++reader) {
            if (reader.key() != m_user)
                furthest = std::max(furthest, reader.value());
        }
        if (furthest > 0)
            m_store.noteReceipt(room, furthest, true); // one write, not one per reader
        for (auto reader = answer->reads.cbegin(); reader != answer->reads.cend(); ++reader) {
            if (reader.key() != m_user)
                Q_EMIT receiptReceived(ReceiptEvent { room, reader.key(), reader.value(), ReceiptKind::Read });
        }
    });
}

void ChatSession::handleUpdate(const QJsonObject &payload)
{
    const Message message = Message::fromJson(payload);
    // Only messages the cache holds: older ones come in current when the view pages back.
    if (m_store.applyUpdate(payload))
        Q_EMIT messageUpdated(message);
    noteRev(message.room, message.rev);
}

void ChatSession::noteRev(const QString &room, qint64 rev)
{
    if (!m_synced || rev <= 0)
        return; // the resync catches up with what came before
    const qint64 last = m_store.lastRev(room);
    if (rev == last + 1)
        return m_store.setLastRev(room, rev);
    if (rev <= last || m_fetchingUpdates.contains(room))
        return;
    // A big room first seen live: its cached page was fetched just now, current; its
    // whole change history is not worth fetching.
    if (last == 0 && rev > MaxCatchUp)
        return m_store.setLastRev(room, rev);
    // A gap (a change missed, or a room first seen live): fetch what lies between.
    m_fetchingUpdates.insert(room);
    catchUpUpdates(room, last, [this, room] { m_fetchingUpdates.remove(room); });
}

void ChatSession::catchUpRoom(const RoomSummary &room, std::function<void()> done)
{
    const qint64 storedRev = m_store.lastRev(room.name);
    // Away for long: the cached messages may be stale in more ways than are worth fetching;
    // the room starts again from its newest page, as a room not seen before.
    if (room.lastRev - storedRev > MaxCatchUp)
        m_store.forgetMessages(room.name);
    if (m_store.lastSeq(room.name) == 0) {
        // History fetched after room:list is current up to its lastRev at least.
        return catchUp(room.name, room.lastSeq, [this, room, done] {
            m_store.setLastRev(room.name, std::max(m_store.lastRev(room.name), room.lastRev));
            done();
        });
    }
    catchUp(room.name, room.lastSeq, [this, room, storedRev, done] {
        if (room.lastRev <= storedRev)
            return done();
        catchUpUpdates(room.name, storedRev, done);
    });
}

// Pages of updates:fetch until the room's lastRev, each applied to the cache.
void ChatSession::catchUpUpdates(const QString &room, qint64 afterRev, std::function<void()> done)
{
    fetchUpdates(room, afterRev, [this, room, done](const Result<UpdatesAnswer> &answer) {
        if (!answer)
            return done(); // offline again: the next resync catches up
        for (const Message &message : answer->messages) {
            if (m_store.applyUpdate(message.toJson()))
                Q_EMIT messageUpdated(message);
        }
        const bool more = answer->messages.size() == UpdatesPageSize && answer->messages.last().rev < answer->lastRev;
        const qint64 reached = more ? answer->messages.last().rev : answer->lastRev;
        m_store.setLastRev(room, std::max(m_store.lastRev(room), reached));
        if (more)
            return catchUpUpdates(room, reached, done);
        done();
    });
}

void ChatSession::handleRead(const ReadEvent &read)
{
    // This device has read past it already (its own receipt is on the way): the counts
    // would bring back messages it has seen; the answer to that receipt brings the right ones.
    const bool stale = read.readSeq < readSeq(read.room);
    m_store.setReadSeq(read.room, read.readSeq); // forward only
    qint64 &sent = m_readSent[read.room];
    sent = std::max(sent, read.readSeq); // read elsewhere: no receipt from here for it
    if (stale)
        return;
    // The server's counts, whatever this device counted: badges clear when read elsewhere.
    m_store.setRoomCounts(read.room, { read.unread, read.mentions });
    Q_EMIT readPositionChanged(read);
}

} // namespace Confab::Client
