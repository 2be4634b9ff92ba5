#include "socketioclient.h"

namespace Confab::Client {

using SocketIo::Packet;
using SocketIo::PacketType;

SocketIoClient::SocketIoClient(QObject *parent)
    : QObject(parent)
{
    m_engine.setParent(this);
    connect(&m_engine, &EngineIoClient::opened, this, [this] {
        for (auto it = m_wanted.cbegin(); it != m_wanted.cend(); ++it) {
            Packet packet;
            packet.type = PacketType::Connect;
            packet.nsp = it.key();
            if (!it.value().isEmpty())
                packet.data = it.value();
            sendPacket(packet);
        }
    });
    connect(&m_engine, &EngineIoClient::textReceived, this, &SocketIoClient::handleText);
    connect(&m_engine, &EngineIoClient::binaryReceived, this, &SocketIoClient::handleBinary);
    connect(&m_engine, &EngineIoClient::closed, this, [this](const QString &reason) { handleClosed(reason); });
}

SocketIoClient::~SocketIoClient()
{
    m_engine.disconnect(this);
}

void SocketIoClient::connectNamespace(const QString &nsp, const QJsonObject &auth)
{
    m_wanted.insert(nsp, auth);
    if (m_engine.state() == EngineIoClient::State::Closed) {
        m_engine.open();
    } else if (m_engine.state() == EngineIoClient::State::Open) {
        Packet packet;
        packet.type = PacketType::Connect;
        packet.nsp = nsp;
        if (!auth.isEmpty())
            packet.data = auth;
        sendPacket(packet);
    }
}

void SocketIoClient::disconnectNamespace(const QString &nsp)
{
    m_wanted.remove(nsp);
    if (m_connected.remove(nsp)) {
        Packet packet;
        packet.type = PacketType::Disconnect;
        packet.nsp = nsp;
        sendPacket(packet);
        Q_EMIT disconnected(nsp, QStringLiteral("client namespace disconnect"));
    }
}

void SocketIoClient::close()
{
    m_wanted.clear();
    m_engine.close();
}

void SocketIoClient::sendPacket(const Packet &packet)
{
    m_engine.sendText(SocketIo::encodePacket(packet));
    for (const QByteArray &attachment : packet.attachments)
        m_engine.sendBinary(attachment);
}

void SocketIoClient::emitEvent(const QString &nsp, const QString &event, const QJsonArray &args,
                               const QList<QByteArray> &attachments)
{
    sendPacket(SocketIo::eventPacket(event, args, attachments, nsp));
}

void SocketIoClient::emitWithAck(const QString &nsp, const QString &event, const QJsonArray &args, AckCallback callback,
                                 int timeoutMs, const QList<QByteArray> &attachments)
{
    if (!isConnected(nsp)) {
        callback(true, {}, {});
        return;
    }
    Packet packet = SocketIo::eventPacket(event, args, attachments, nsp);
    packet.id = m_pendingAcks.add(std::move(callback), timeoutMs);
    sendPacket(packet);
}

void SocketIoClient::sendAck(const QString &nsp, qint64 ackId, const QJsonArray &args,
                             const QList<QByteArray> &attachments)
{
    sendPacket(SocketIo::ackPacket(ackId, args, attachments, nsp));
}

void SocketIoClient::handleText(const QByteArray &text)
{
    SocketIo::DecodeResult result = SocketIo::decodePacket(text);
    if (!result.packet || m_assembler.isWaiting())
        return m_engine.close(); // a server that breaks the protocol loses the connection
    if (result.packet->isBinary() && !result.packet->isComplete()) {
        if (!m_assembler.start(std::move(*result.packet)))
            m_engine.close();
        return;
    }
    dispatch(*result.packet);
}

void SocketIoClient::handleBinary(const QByteArray &bytes)
{
    if (!m_assembler.isWaiting())
        return m_engine.close();
    if (auto packet = m_assembler.add(bytes))
        dispatch(*packet);
}

void SocketIoClient::dispatch(const Packet &packet)
{
    switch (packet.type) {
    case PacketType::Connect: {
        const QString sid = packet.data.toObject().value(QStringLiteral("sid")).toString();
        m_connected.insert(packet.nsp, sid);
        Q_EMIT connected(packet.nsp, sid);
        break;
    }
    case PacketType::ConnectError:
        m_wanted.remove(packet.nsp);
        Q_EMIT connectError(packet.nsp,
                            packet.data.isObject()
                                ? packet.data.toObject()
                                : QJsonObject { { QStringLiteral("message"), packet.data.toString() } });
        break;
    case PacketType::Disconnect:
        m_wanted.remove(packet.nsp);
        if (m_connected.remove(packet.nsp))
            Q_EMIT disconnected(packet.nsp, QStringLiteral("io server disconnect"));
        break;
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        QJsonArray args = packet.data.toArray();
        const QString event = args.takeAt(0).toString();
        Q_EMIT eventReceived(packet.nsp, event, args, packet.attachments, packet.id);
        break;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck: m_pendingAcks.resolve(packet.id, packet.data.toArray(), packet.attachments); break;
    }
}

void SocketIoClient::handleClosed(const QString &reason)
{
    m_assembler.reset();
    m_pendingAcks.failAll();
    const QList<QString> namespaces = m_connected.keys();
    m_connected.clear();
    for (const QString &nsp : namespaces)
        Q_EMIT disconnected(nsp, reason);
}

} // namespace Confab::Client
