// An Engine.IO packet on its way out, encoded for each transport at most once: a
// broadcast builds one, and every recipient — on WebSocket or long-polling, in any mix —
// shares those bytes. The caches fill on the main thread; what crosses to the I/O
// threads is a QByteArray, implicitly shared.
#pragma once

#include "engineio/packet.h"

namespace Confab::EngineIo {

class OutboundPacket
{
public:
    explicit OutboundPacket(PacketType type, const QByteArray &data = {})
        : m_packet(Packet::text(type, data))
    {
    }
    // A message packet: already encoded (a Socket.IO packet), shared, not copied.
    static OutboundPacket message(const QByteArray &text) { return OutboundPacket(PacketType::Message, text); }
    static OutboundPacket binary(const QByteArray &bytes);

    PacketType type() const { return m_packet.type; }
    bool isBinary() const { return m_packet.isBinary; }
    const QByteArray &data() const { return m_packet.data; }

    // The unmasked WebSocket frame carrying it, built on first use.
    const QByteArray &webSocketFrame() const;
    // Its record in a long-polling payload (type + data, or 'b' + base64), built on first use.
    const QByteArray &pollingRecord() const;

private:
    OutboundPacket() = default;

    Packet m_packet;
    mutable QByteArray m_frame;  // empty until asked for: a frame is never empty
    mutable QByteArray m_record; // likewise a record
};

} // namespace Confab::EngineIo
