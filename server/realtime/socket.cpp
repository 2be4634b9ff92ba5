#include "realtime/socket.h"

#include "realtime/client.h"
#include "realtime/namespace.h"

namespace Confab::Realtime {

using SocketIo::Packet;
using SocketIo::PacketType;

Socket::Socket(const QByteArray &id, Namespace *nsp, Client *client, const QJsonObject &auth)
    : QObject(client)
    , m_id(id)
    , m_namespace(nsp)
    , m_client(client)
    , m_auth(auth)
{
}

Socket::~Socket() = default;

EngineIo::Session *Socket::session() const
{
    return m_client->session();
}

void Socket::on(const QString &event, EventHandler handler)
{
    m_handlers.insert(event, std::move(handler));
}

void Socket::sendPacket(const Packet &packet)
{
    if (!m_connected)
        return;
    Packet addressed = packet;
    addressed.nsp = m_namespace->name();
    m_client->sendPacket(addressed);
}

void Socket::emitEvent(const QString &event, const QJsonArray &args, const QList<QByteArray> &attachments)
{
    sendPacket(SocketIo::eventPacket(event, args, attachments));
}

void Socket::emitWithAck(const QString &event, const QJsonArray &args, AckCallback callback, int timeoutMs,
                         const QList<QByteArray> &attachments)
{
    if (!m_connected) {
        callback(true, {}, {});
        return;
    }
    Packet packet = SocketIo::eventPacket(event, args, attachments);
    packet.id = m_pendingAcks.add(std::move(callback), timeoutMs);
    sendPacket(packet);
}

void Socket::join(const QString &room)
{
    if (!m_connected || room.toLatin1() == m_id)
        return;
    const auto at = std::lower_bound(m_rooms.begin(), m_rooms.end(), room);
    if (at != m_rooms.end() && *at == room)
        return;
    m_rooms.insert(at, room);
    m_namespace->addToRoom(room, this);
}

void Socket::leave(const QString &room)
{
    const auto at = std::lower_bound(m_rooms.begin(), m_rooms.end(), room);
    if (at == m_rooms.end() || *at != room)
        return;
    m_rooms.erase(at);
    m_namespace->removeFromRoom(room, this);
}

void Socket::handlePacket(const Packet &packet)
{
    switch (packet.type) {
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        QJsonArray args = packet.data.toArray();
        const QString event = args.takeAt(0).toString();
        const Ack ack = packet.id >= 0 ? Ack(this, packet.id) : Ack();
        if (const auto own = m_handlers.constFind(event); own != m_handlers.cend())
            (*own)(args, packet.attachments, ack);
        else if (const Namespace::EventHandler *shared = m_namespace->handler(event))
            (*shared)(this, args, packet.attachments, ack);
        break;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck: m_pendingAcks.resolve(packet.id, packet.data.toArray(), packet.attachments); break;
    case PacketType::Disconnect: handleClosed(QStringLiteral("client namespace disconnect")); break;
    default: break;
    }
}

void Socket::disconnect(DisconnectMode mode)
{
    if (!m_connected)
        return;
    Packet packet;
    packet.type = PacketType::Disconnect;
    sendPacket(packet);
    if (mode == DisconnectMode::CloseTransport)
        m_client->close(QStringLiteral("server disconnect"));
    else
        handleClosed(QStringLiteral("server namespace disconnect"));
}

void Socket::handleClosed(const QString &reason)
{
    if (!m_connected)
        return;
    m_connected = false;
    for (const QString &room : std::as_const(m_rooms))
        m_namespace->removeFromRoom(room, this);
    m_rooms.clear();
    m_pendingAcks.failAll();
    m_namespace->removeSocket(this);
    m_client->removeSocket(this);
    Q_EMIT disconnected(reason);
    deleteLater();
}

} // namespace Confab::Realtime
