// libFuzzer target: the chat protocol's validators on arbitrary JSON payloads.
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
    const QString raw = QString::fromUtf8(input);
    if (isValidRoomName(raw) && isDirectRoomName(raw))
        __builtin_trap(); // a creatable name must never look like a DM room
    return 0;
}
