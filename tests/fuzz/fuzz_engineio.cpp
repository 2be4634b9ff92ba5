// libFuzzer target: Engine.IO payload and packet decoding, and re-encoding what decoded.
#include "engineio/handshake.h"
#include "engineio/packet.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto packets = Confab::EngineIo::decodePayload(input)) {
        const QByteArray encoded = Confab::EngineIo::encodePayload(*packets);
        // What decoded must survive a round trip unchanged.
        if (Confab::EngineIo::decodePayload(encoded) != packets)
            __builtin_trap();
    }
    (void)Confab::EngineIo::decodeTextPacket(input);
    (void)Confab::EngineIo::Handshake::fromJson(input);
    return 0;
}
