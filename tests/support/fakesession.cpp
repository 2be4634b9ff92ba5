#include "fakesession.h"

#include "socketio/binary.h"

namespace Confab::Testing {

FakeSession::FakeSession(const QByteArray &id, QObject *parent)
    : EngineIo::Session(parent)
    , m_id(id)
{
}

void FakeSession::send(const EngineIo::OutboundPacket &packet)
{
    if (m_open)
        m_sent.append(packet);
}

void FakeSession::close(const QString &reason)
{
    drop(reason);
}

void FakeSession::closeAfterFlush(const QString &reason)
{
    m_closedAfterFlush = true;
    drop(reason);
}

void FakeSession::drop(const QString &reason)
{
    if (!m_open)
        return;
    m_open = false;
    m_closeReason = reason;
    Q_EMIT closed(reason);
}

QList<SocketIo::Packet> FakeSession::packets() const
{
    QList<SocketIo::Packet> packets;
    SocketIo::BinaryAssembler assembler;
    for (const EngineIo::OutboundPacket &sent : m_sent) {
        if (sent.isBinary()) {
            if (auto packet = assembler.add(sent.data()))
                packets.append(*packet);
            continue;
        }
        auto decoded = SocketIo::decodePacket(sent.data());
        if (!decoded.packet)
            continue;
        if (decoded.packet->isBinary() && !decoded.packet->isComplete())
            assembler.start(*decoded.packet);
        else
            packets.append(*decoded.packet);
    }
    return packets;
}

void FakeClient::connectNamespace(const QJsonObject &auth, const QString &nsp)
{
    SocketIo::Packet packet;
    packet.type = SocketIo::PacketType::Connect;
    packet.nsp = nsp;
    packet.data = auth;
    m_session->receiveText(SocketIo::encodePacket(packet));
}

qint64 FakeClient::emitEvent(const QString &event, const QJsonValue &payload, const QString &nsp)
{
    SocketIo::Packet packet = SocketIo::eventPacket(event, { payload }, {}, nsp);
    packet.id = m_nextAckId++;
    m_session->receiveText(SocketIo::encodePacket(packet));
    return packet.id;
}

std::optional<QJsonValue> FakeClient::ack(qint64 id) const
{
    for (const SocketIo::Packet &packet : m_session->packets()) {
        if ((packet.type == SocketIo::PacketType::Ack || packet.type == SocketIo::PacketType::BinaryAck)
            && packet.id == id)
            return packet.data.toArray().at(0);
    }
    return std::nullopt;
}

QList<QJsonValue> FakeClient::events(const QString &event) const
{
    QList<QJsonValue> found;
    for (const SocketIo::Packet &packet : m_session->packets()) {
        if ((packet.type == SocketIo::PacketType::Event || packet.type == SocketIo::PacketType::BinaryEvent)
            && packet.eventName() == event)
            found.append(packet.data.toArray().at(1));
    }
    return found;
}

std::optional<SocketIo::Packet> FakeClient::connectAnswer(const QString &nsp) const
{
    for (const SocketIo::Packet &packet : m_session->packets()) {
        if ((packet.type == SocketIo::PacketType::Connect || packet.type == SocketIo::PacketType::ConnectError)
            && packet.nsp == nsp)
            return packet;
    }
    return std::nullopt;
}

} // namespace Confab::Testing
