#include "socketio/packet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Confab::SocketIo {

namespace {

// Longest ack id or attachment count we accept: 15 digits stays within 2^53.
constexpr int MaxDigits = 15;

QByteArray encodeJson(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isString()) {
        // QJsonDocument has no scalar form: wrap and unwrap.
        const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
        return wrapped.sliced(1, wrapped.size() - 2);
    }
    return {};
}

std::optional<QJsonValue> decodeJson(QByteArrayView text)
{
    // Wrap so strings and other scalars parse too.
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text).append(']');
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || !document.isArray() || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

QString Packet::eventName() const
{
    const QJsonArray array = data.toArray();
    return array.isEmpty() ? QString() : array.first().toString();
}

Packet eventPacket(const QString &event, const QJsonArray &args, const QList<QByteArray> &attachments,
                   const QString &nsp)
{
    Packet packet;
    QJsonArray data = args;
    data.prepend(event);
    packet.type = attachments.isEmpty() ? PacketType::Event : PacketType::BinaryEvent;
    packet.nsp = nsp;
    packet.data = data;
    packet.attachmentCount = int(attachments.size());
    packet.attachments = attachments;
    return packet;
}

Packet ackPacket(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments, const QString &nsp)
{
    Packet packet;
    packet.type = attachments.isEmpty() ? PacketType::Ack : PacketType::BinaryAck;
    packet.nsp = nsp;
    packet.id = id;
    packet.data = args;
    packet.attachmentCount = int(attachments.size());
    packet.attachments = attachments;
    return packet;
}

QByteArray encodePacket(const Packet &packet)
{
    QByteArray out;
    out.append(char(packet.type));
    if (packet.isBinary())
        out.append(QByteArray::number(packet.attachmentCount)).append('-');
    if (packet.nsp != QLatin1String("/"))
        out.append(packet.nsp.toUtf8()).append(',');
    if (packet.id != NoAckId)
        out.append(QByteArray::number(packet.id));
    out.append(encodeJson(packet.data));
    return out;
}

bool isPayloadValid(PacketType type, const QJsonValue &data)
{
    switch (type) {
    case PacketType::Connect: return data.isObject() || data.isUndefined();
    case PacketType::Disconnect: return data.isUndefined();
    case PacketType::ConnectError: return data.isObject() || data.isString();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        const QJsonArray array = data.toArray();
        return data.isArray() && !array.isEmpty() && array.first().isString();
    }
    case PacketType::Ack:
    case PacketType::BinaryAck: return data.isArray();
    }
    return false;
}

DecodeResult decodePacket(QByteArrayView text)
{
    if (text.isEmpty())
        return { std::nullopt, DecodeError::Empty };
    const char typeChar = text.front();
    if (typeChar < '0' || typeChar > '6')
        return { std::nullopt, DecodeError::UnknownType };

    Packet packet;
    packet.type = PacketType(typeChar);
    qsizetype i = 1;

    if (packet.isBinary()) {
        const qsizetype dash = text.indexOf('-', i);
        if (dash <= i || dash - i > MaxDigits)
            return { std::nullopt, DecodeError::BadAttachmentCount };
        bool ok = false;
        const int count = text.sliced(i, dash - i).toInt(&ok);
        if (!ok || count < 0)
            return { std::nullopt, DecodeError::BadAttachmentCount };
        packet.attachmentCount = count;
        i = dash + 1;
    }

    if (i < text.size() && text[i] == '/') {
        qsizetype comma = text.indexOf(',', i);
        if (comma < 0)
            comma = text.size();
        packet.nsp = QString::fromUtf8(text.sliced(i, comma - i));
        i = qMin(comma + 1, text.size());
    }

    const qsizetype idStart = i;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    if (i > idStart) {
        if (i - idStart > MaxDigits)
            return { std::nullopt, DecodeError::BadAckId };
        packet.id = text.sliced(idStart, i - idStart).toLongLong();
    }

    if (i < text.size()) {
        auto data = decodeJson(text.sliced(i));
        if (!data)
            return { std::nullopt, DecodeError::BadJson };
        packet.data = *data;
    }

    if (!isPayloadValid(packet.type, packet.data))
        return { std::nullopt, DecodeError::InvalidPayload };
    if ((packet.type == PacketType::Ack || packet.type == PacketType::BinaryAck) && packet.id == NoAckId)
        return { std::nullopt, DecodeError::BadAckId };
    return { packet, DecodeError::None };
}

} // namespace Confab::SocketIo
