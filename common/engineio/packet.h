// Engine.IO v4 packets and the HTTP long-polling payload format.
// Pure functions: no I/O, no state. See docs/PROTOCOL.md.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Confab::EngineIo {

enum class PacketType : char {
    Open = '0',
    Close = '1',
    Ping = '2',
    Pong = '3',
    Message = '4',
    Upgrade = '5',
    Noop = '6',
};

// One Engine.IO packet. Text packets carry UTF-8 data after the type character;
// binary packets are always messages and carry raw bytes.
struct Packet
{
    PacketType type = PacketType::Message;
    QByteArray data;
    bool isBinary = false;

    static Packet text(PacketType type, const QByteArray &data = {}) { return { type, data, false }; }
    static Packet binary(const QByteArray &bytes) { return { PacketType::Message, bytes, true }; }
    friend bool operator==(const Packet &, const Packet &) = default;
};

// The record separator between packets of a long-polling payload.
inline constexpr char RecordSeparator = '\x1e';

// Text form of a packet as sent in a WebSocket text frame: type character + data.
QByteArray encodeTextPacket(PacketType type, QByteArrayView data = {});

// Decodes a WebSocket text frame. Returns nothing for an unknown type or an empty frame.
std::optional<Packet> decodeTextPacket(QByteArrayView frame);

// Long-polling payload: packets joined by 0x1e, binary ones as 'b' + base64.
QByteArray encodePayload(const QList<Packet> &packets);

// Decodes a long-polling payload; nothing when any packet in it is malformed.
std::optional<QList<Packet>> decodePayload(QByteArrayView payload);

} // namespace Confab::EngineIo
