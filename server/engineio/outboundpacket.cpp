#include "engineio/outboundpacket.h"

#include "websocket/frames.h"

namespace Confab::EngineIo {

OutboundPacket OutboundPacket::binary(const QByteArray &bytes)
{
    OutboundPacket packet;
    packet.m_packet = Packet::binary(bytes);
    return packet;
}

const QByteArray &OutboundPacket::webSocketFrame() const
{
    if (m_frame.isEmpty()) {
        m_frame = m_packet.isBinary
            ? WebSocket::encodeFrame(WebSocket::Opcode::Binary, m_packet.data)
            : WebSocket::encodeFrame(WebSocket::Opcode::Text, m_packet.data, char(m_packet.type));
    }
    return m_frame;
}

const QByteArray &OutboundPacket::pollingRecord() const
{
    if (m_record.isEmpty()) {
        // As encodePayload writes each packet (common/engineio/packet.cpp).
        if (m_packet.isBinary) {
            m_record = QByteArray(1, 'b') + m_packet.data.toBase64();
        } else {
            m_record.reserve(m_packet.data.size() + 1);
            m_record.append(char(m_packet.type));
            m_record.append(m_packet.data);
        }
    }
    return m_record;
}

} // namespace Confab::EngineIo
