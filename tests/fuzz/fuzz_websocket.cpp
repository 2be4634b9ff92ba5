// libFuzzer target: the WebSocket frame reader, fed in pieces of varying size (the first
// byte picks the piece size), with the invariants a server relies on checked.
#include "websocket/frames.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Confab::WebSocket;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    constexpr qint64 Limit = 2048;
    FrameReader reader(Limit);
    QList<Message> messages;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        if (!reader.feed(input.sliced(at, qMin(piece, input.size() - at)), &messages))
            break;
        // Never more held than one frame header plus the largest message allowed.
        if (reader.bufferedBytes() > 14 + 2 * Limit + 125)
            abort();
    }
    for (const Message &message : std::as_const(messages)) {
        const bool isControl = quint8(message.opcode) & 0x8;
        if ((isControl && message.payload.size() > 125) || (!isControl && message.payload.size() > Limit))
            abort();
        if (message.opcode == Opcode::Text && !QByteArrayView(message.payload).isValidUtf8())
            abort();
    }
    return 0;
}
