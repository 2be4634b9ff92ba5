// ChatService: changes to existing messages (message:edit, message:delete, reaction:set),
// catching up with them (updates:fetch), and who has read how far (room:reads).
#include "chat/chatservice.h"

#include "chat/channels.h"
#include "chat/events.h"
#include "chat/validation.h"
#include "realtime/ack.h"
#include "realtime/namespace.h"

#include <QDateTime>

namespace Confab::Chat {

void ChatService::editMessage(const Caller &caller, const EditMessageRequest &request, const Realtime::Ack &ack)
{
    Store::ChangeRequest change;
    change.kind = Store::ChangeRequest::Kind::Edit;
    change.text = request.text;
    change.mentions = mentionedMembers(request.room, request.text);
    applyChange(caller, request.room, request.id, change, ack);
}

void ChatService::deleteMessage(const Caller &caller, const DeleteMessageRequest &request, const Realtime::Ack &ack)
{
    Store::ChangeRequest change;
    change.kind = Store::ChangeRequest::Kind::Delete;
    // The owner and moderators may delete anyone's message (a direct-message room has neither).
    if (!isDirectRoomName(request.room)) {
        const auto role = m_store->roleOf(request.room, caller.user);
        change.mayDeleteOthers = role == RoomRole::Owner || role == RoomRole::Moderator;
    }
    applyChange(caller, request.room, request.id, change, ack);
}

void ChatService::setReaction(const Caller &caller, const SetReactionRequest &request, const Realtime::Ack &ack)
{
    Store::ChangeRequest change;
    change.kind = Store::ChangeRequest::Kind::React;
    change.emoji = request.emoji;
    change.on = request.on;
    applyChange(caller, request.room, request.id, change, ack);
}

// Every change: membership, the store (durable before the answer), then message:update
// to the room when something changed. The answer carries the message's current rev.
void ChatService::applyChange(const Caller &caller, const QString &room, const QByteArray &id,
                              Store::ChangeRequest change, const Realtime::Ack &ack)
{
    if (auto error = checkMember(caller.user, room))
        return answer(ack, *error);
    change.room = room;
    change.id = id;
    change.user = caller.user;
    if (change.kind == Store::ChangeRequest::Kind::Edit)
        change.ts = QDateTime::currentMSecsSinceEpoch();
    const Store::ChangeRequest::Kind kind = change.kind;
    trackAppend(+1);
    m_store->change(change, [this, ack, kind](const Store::ChangeResult &result) {
        trackAppend(-1);
        if (result.refusal)
            return answer(ack, *result.refusal);
        if (!result.message)
            return answer(ack, Error { ErrorCode::Unavailable, QStringLiteral("could not store the change; retry") });
        const Message &message = *result.message;
        if (result.changed)
            m_bus->publish({ { message.room }, Event::MessageUpdate, message.toJson(), {} });
        if (kind == Store::ChangeRequest::Kind::Edit)
            return answer(ack, EditAnswer { message.rev, message.editedAt }.toJson());
        answer(ack, RevAnswer { message.rev }.toJson());
    });
}

ChatService::Reply ChatService::fetchUpdates(const Caller &caller, const UpdatesRequest &request)
{
    if (auto error = checkMember(caller.user, request.room))
        return *error;
    UpdatesAnswer answer;
    answer.lastRev = m_store->lastRev(request.room); // first: a change after it is in the next fetch
    answer.messages = m_store->updates(request.room, request.afterRev, request.limit.value_or(DefaultUpdatesLimit));
    return answer.toJson();
}

ChatService::Reply ChatService::fetchReads(const Caller &caller, const RoomRequest &request)
{
    if (auto error = checkMember(caller.user, request.room))
        return *error;
    return ReadsAnswer { m_store->readPositions(request.room, MaxReadsAnswered) }.toJson();
}

// "$read" {user, room, readSeq, unread, mentions, countedUpTo}: every node tells the
// user's connections, after the messages it counted (ReadOrder).
void ChatService::deliverRead(const Envelope &envelope)
{
    QJsonObject event = envelope.payload;
    const QString user = event.take(QStringLiteral("user")).toString();
    const qint64 countedUpTo = event.take(QStringLiteral("countedUpTo")).toInteger();
    ReadOrder::Read read { event.value(QStringLiteral("room")).toString(), user, countedUpTo, event };
    const ReadOrder::Verdict verdict = m_readOrder.arrive(read);
    if (verdict == ReadOrder::Verdict::Held)
        return;
    if (verdict == ReadOrder::Verdict::Recount) {
        // Seq 0 moves nothing: the counts as they stand, covering what went out here.
        const Store::ReadState state = m_store->setReadPosition(read.room, user, 0);
        read.event = ReadEvent { read.room, state.readSeq, state.unread, state.mentions }.toJson();
        read.countedUpTo = state.countedUpTo;
        if (m_readOrder.arrive(read) == ReadOrder::Verdict::Held)
            return;
    }
    sendRead(read);
}

void ChatService::sendRead(const ReadOrder::Read &read)
{
    m_namespace->broadcast({ { userChannel(read.user) }, nullptr, false }, Event::Read, { read.event });
}

} // namespace Confab::Chat
