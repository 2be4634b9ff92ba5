// libFuzzer target: Socket.IO packet decoding and binary reassembly.
#include "socketio/binary.h"
#include "socketio/packet.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto result = Confab::SocketIo::decodePacket(input);
    if (!result.packet)
        return 0;
    // A decoded packet re-encodes to something that decodes to the same type, nsp and id.
    const auto again = Confab::SocketIo::decodePacket(Confab::SocketIo::encodePacket(*result.packet));
    if (!again.packet || again.packet->type != result.packet->type || again.packet->nsp != result.packet->nsp
        || again.packet->id != result.packet->id)
        __builtin_trap();
    Confab::SocketIo::BinaryAssembler assembler(8);
    if (result.packet->isBinary() && assembler.start(*result.packet)) {
        for (int i = 0; i < result.packet->attachmentCount; ++i)
            (void)assembler.add(QByteArray(1, char(i)));
    }
    return 0;
}
