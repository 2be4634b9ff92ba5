// libFuzzer target: the chat protocol's validators on arbitrary JSON payloads.
#include "chat/requests.h"
#include "chat/validation.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QJsonObject payload = QJsonDocument::fromJson(input).object();
    using namespace Confab::Chat;
    for (const QString &key : { QStringLiteral("room"), QStringLiteral("user"), QStringLiteral("text") }) {
        const QString value = payload.value(key).toString();
        (void)isValidUsername(value);
        (void)isValidRoomReference(value);
        (void)isDirectRoomName(value);
        (void)isValidText(value);
        (void)isValidPassword(value);
    }
    bool present = false;
    (void)optionalSeq(payload, QStringLiteral("afterSeq"), &present);
    (void)isValidEmoji(payload.value(QStringLiteral("emoji")).toString());
    (void)isValidMessageId(payload.value(QStringLiteral("id")).toString());
    (void)mentionedNames(payload.value(QStringLiteral("text")).toString());
    // Every request type reads any object without crashing; what it accepts it writes
    // back so that reading it again gives the same request.
    (void)CreateRoomRequest::fromJson(payload);
    (void)HistoryRequest::fromJson(payload);
    (void)ReceiptRequest::fromJson(payload);
    (void)UpdatesRequest::fromJson(payload);
    if (const auto search = SearchRequest::fromJson(payload)) {
        const auto again = SearchRequest::fromJson(search->toJson());
        if (!again || again->query != search->query || again->room != search->room
            || again->beforeSeq != search->beforeSeq || again->limit != search->limit)
            __builtin_trap();
    }
    if (const auto send = SendMessageRequest::fromJson(payload)) {
        const auto again = SendMessageRequest::fromJson(send->toJson());
        if (!again || again->text != send->text || again->replyTo != send->replyTo)
            __builtin_trap();
    }
    if (const auto edit = EditMessageRequest::fromJson(payload)) {
        if (!EditMessageRequest::fromJson(edit->toJson()))
            __builtin_trap();
    }
    if (const auto reaction = SetReactionRequest::fromJson(payload)) {
        const auto again = SetReactionRequest::fromJson(reaction->toJson());
        if (!again || again->emoji != reaction->emoji || again->on != reaction->on)
            __builtin_trap();
    }
    (void)DeleteMessageRequest::fromJson(payload);
    const QString raw = QString::fromUtf8(input);
    if (isValidRoomName(raw) && isDirectRoomName(raw))
        __builtin_trap(); // a creatable name must never look like a DM room
    return 0;
}
