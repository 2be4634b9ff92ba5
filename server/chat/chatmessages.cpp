// ChatService: message:send (through the store's group commit; replies and mentions),
// history:fetch, receipt (a read receipt moves the user's read position).
#include "chat/chatservice.h"

#include "ops/metrics.h"

#include "chat/events.h"
#include "chat/validation.h"
#include "realtime/ack.h"

#include <QElapsedTimer>

namespace Confab::Chat {

void ChatService::sendMessage(const Caller &caller, const SendMessageRequest &request, const Realtime::Ack &ack)
{
    if (auto error = checkMember(caller.user, request.room))
        return answer(ack, *error);
    Message draft;
    draft.room = request.room;
    draft.from = caller.user;
    draft.clientId = request.clientId;
    draft.text = request.text;
    draft.mentions = mentionedMembers(request.room, request.text);
    if (!request.replyTo.isEmpty()) {
        const std::optional<Message> original = m_store->findMessage(request.room, request.replyTo);
        if (!original)
            return answer(ack, Error { ErrorCode::NotFound, QStringLiteral("replyTo: no such message in this room") });
        draft.replyTo = ReplyQuote { original->id, original->seq, original->from,
                                     original->deleted ? QString() : original->text.left(ReplyQuoteLength) };
    }
    for (const AttachmentRef &ref : request.attachments) {
        std::optional<Attachment> attachment = attachmentOf(caller.user, ref);
        if (!attachment)
            return answer(ack,
                          m_store->isAvailable()
                              ? Error { ErrorCode::Forbidden,
                                        QStringLiteral("attachments must name files you uploaded") }
                              : Error { ErrorCode::Unavailable, QStringLiteral("the store is unreachable; retry") });
        draft.attachments.append(*attachment);
    }
    QElapsedTimer storeTime;
    storeTime.start();
    trackAppend(+1);
    m_store->append(draft, [this, ack, storeTime](const Store::AppendResult &result) {
        trackAppend(-1);
        if (m_metrics)
            m_metrics->observe("confab_store_append_seconds", double(storeTime.nsecsElapsed()) / 1e9);
        if (!result.message)
            return answer(ack, Error { ErrorCode::Unavailable, QStringLiteral("could not store the message; retry") });
        const Message &message = *result.message;
        if (!result.isDuplicate) {
            ++m_messagesAccepted;
            m_bus->publish({ { message.room }, Event::Message, message.toJson(), {} });
        }
        answer(ack, SendMessageAnswer { message.id, message.seq, message.ts }.toJson());
    });
}

// What a message carries for one of its attachments, from the upload's record: only the
// sender's own uploads (and thumbnails) may be attached.
std::optional<Attachment> ChatService::attachmentOf(const QString &sender, const AttachmentRef &ref)
{
    const std::optional<FileRecord> file = m_store->findFile(ref.file);
    if (!file || file->uploader != sender)
        return std::nullopt;
    if (!ref.thumbnail.isEmpty()) {
        const std::optional<FileRecord> thumbnail = m_store->findFile(ref.thumbnail);
        if (!thumbnail || thumbnail->uploader != sender)
            return std::nullopt;
    }
    return Attachment { file->id, file->name, file->size, file->type, ref.width, ref.height, ref.thumbnail };
}

QStringList ChatService::mentionedMembers(const QString &room, const QString &text)
{
    QStringList members;
    for (const QString &name : mentionedNames(text)) {
        if (members.size() == MaxMentions)
            break;
        if (m_store->isMember(room, name)) // a name or two per message: no member list read
            members.append(name);
    }
    return members;
}

ChatService::Reply ChatService::fetchHistory(const Caller &caller, const HistoryRequest &request)
{
    if (auto error = checkMember(caller.user, request.room))
        return *error;
    const HistoryAnswer answer { m_store->history(request.room, request.afterSeq, request.beforeSeq,
                                                  request.limit.value_or(DefaultHistoryLimit)) };
    return answer.toJson();
}

ChatService::Reply ChatService::search(const Caller &caller, const SearchRequest &request)
{
    if (!request.room.isEmpty()) {
        if (auto error = checkMember(caller.user, request.room))
            return *error;
    }
    const auto found = m_store->search(
        { caller.user, request.query, request.room, request.beforeSeq, request.limit.value_or(DefaultSearchLimit) });
    if (!found) // the contract's words: a client then searches what it has cached
        return Error { ErrorCode::Unavailable, QStringLiteral("search needs the embedded store") };
    return HistoryAnswer { *found }.toJson();
}

ChatService::Reply ChatService::receipt(const Caller &caller, const ReceiptRequest &request)
{
    if (auto error = checkMember(caller.user, request.room))
        return *error;
    const auto record = m_store->findRoom(request.room);
    if (!record || request.seq > record->lastSeq)
        return Error { ErrorCode::NotFound, QStringLiteral("no message with that seq") };
    m_store->setReceipt(request.room, caller.user, receiptKindName(request.kind), request.seq);
    m_receipts.add({ request.room, caller.user, request.seq, request.kind });
    if (request.kind == ReceiptKind::Read) {
        // The user's other devices clear their badges: every connection of theirs, on every node.
        const Store::ReadState state = m_store->setReadPosition(request.room, caller.user, request.seq);
        QJsonObject read = ReadEvent { request.room, state.readSeq, state.unread, state.mentions }.toJson();
        read.insert(QStringLiteral("user"), caller.user);
        read.insert(QStringLiteral("countedUpTo"), state.countedUpTo);
        m_bus->publish({ {}, QStringLiteral("$read"), read, {} });
    }
    return QJsonObject {};
}

void ChatService::publishReceipt(const ReceiptEvent &receipt)
{
    m_bus->publish({ { receipt.room }, Event::Receipt, receipt.toJson(), {} });
}

} // namespace Confab::Chat
