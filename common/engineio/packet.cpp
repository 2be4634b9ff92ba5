#include "engineio/packet.h"

namespace Confab::EngineIo {

namespace {

bool isKnownType(char c)
{
    return c >= '0' && c <= '6';
}

} // namespace

QByteArray encodeTextPacket(PacketType type, QByteArrayView data)
{
    QByteArray frame;
    frame.reserve(data.size() + 1);
    frame.append(char(type));
    frame.append(data);
    return frame;
}

std::optional<Packet> decodeTextPacket(QByteArrayView frame)
{
    if (frame.isEmpty() || !isKnownType(frame.front()))
        return std::nullopt;
    return Packet::text(PacketType(frame.front()), frame.sliced(1).toByteArray());
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    QByteArray payload;
    qsizetype size = packets.size();
    for (const Packet &packet : packets)
        size += packet.isBinary ? (packet.data.size() * 4 / 3 + 4) : packet.data.size() + 1;
    payload.reserve(size);
    bool first = true;
    for (const Packet &packet : packets) {
        if (!first)
            payload.append(RecordSeparator);
        first = false;
        if (packet.isBinary) {
            payload.append('b');
            payload.append(packet.data.toBase64());
        } else {
            payload.append(char(packet.type));
            payload.append(packet.data);
        }
    }
    return payload;
}

std::optional<QList<Packet>> decodePayload(QByteArrayView payload)
{
    QList<Packet> packets;
    qsizetype start = 0;
    while (start <= payload.size()) {
        qsizetype end = payload.indexOf(RecordSeparator, start);
        if (end < 0)
            end = payload.size();
        const QByteArrayView piece = payload.sliced(start, end - start);
        if (piece.startsWith('b')) {
            auto decoded = QByteArray::fromBase64Encoding(piece.sliced(1).toByteArray(),
                                                          QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return std::nullopt;
            packets.append(Packet::binary(*decoded));
        } else {
            auto packet = decodeTextPacket(piece);
            if (!packet)
                return std::nullopt;
            packets.append(*packet);
        }
        start = end + 1;
    }
    return packets;
}

} // namespace Confab::EngineIo
