// Socket.IO v5 packets (the text header; binary attachments travel as separate
// Engine.IO binary messages). Pure functions. See docs/PROTOCOL.md.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Confab::SocketIo {

enum class PacketType : char {
    Connect = '0',
    Disconnect = '1',
    Event = '2',
    Ack = '3',
    ConnectError = '4',
    BinaryEvent = '5',
    BinaryAck = '6',
};

inline constexpr qint64 NoAckId = -1;

struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    qint64 id = NoAckId;
    // Undefined for DISCONNECT and for a CONNECT without auth; an array for events and
    // acks (binary attachments as {"_placeholder":true,"num":n}); an object otherwise.
    QJsonValue data = QJsonValue(QJsonValue::Undefined);
    int attachmentCount = 0;
    QList<QByteArray> attachments;

    bool isBinary() const { return type == PacketType::BinaryEvent || type == PacketType::BinaryAck; }
    bool isComplete() const { return attachments.size() == attachmentCount; }
    // The event name of an EVENT / BINARY_EVENT packet.
    QString eventName() const;
};

// An EVENT (BINARY_EVENT when there are attachments) carrying [event, ...args].
Packet eventPacket(const QString &event, const QJsonArray &args, const QList<QByteArray> &attachments = {},
                   const QString &nsp = QStringLiteral("/"));
// An ACK (BINARY_ACK when there are attachments) answering ack id `id`.
Packet ackPacket(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments = {},
                 const QString &nsp = QStringLiteral("/"));

// Encodes the packet header (type, attachments, namespace, ack id, JSON data).
QByteArray encodePacket(const Packet &packet);

enum class DecodeError {
    None,
    Empty,
    UnknownType,
    BadAttachmentCount,
    BadAckId,
    BadJson,
    InvalidPayload,
};

struct DecodeResult
{
    std::optional<Packet> packet;
    DecodeError error = DecodeError::None;
};

// Decodes a packet header. A binary packet comes back with its attachment count and
// no attachments yet.
DecodeResult decodePacket(QByteArrayView text);

// True when the data fits the packet type as the Socket.IO v5 spec requires.
bool isPayloadValid(PacketType type, const QJsonValue &data);

} // namespace Confab::SocketIo
