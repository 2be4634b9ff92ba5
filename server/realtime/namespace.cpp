#include "realtime/namespace.h"

#include "realtime/client.h"
#include "realtime/server.h"
#include "realtime/socket.h"
#include "util/ids.h"

namespace Confab::Realtime {

using SocketIo::Packet;
using SocketIo::PacketType;

Namespace::Namespace(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
{
}

Socket *Namespace::admit(Client *client, const QJsonObject &auth, QJsonObject *refusal)
{
    if (m_authenticator) {
        if (auto error = m_authenticator(auth, client)) {
            *refusal = *error;
            return nullptr;
        }
    }
    auto *socket = new Socket(randomId(), this, client, auth);
    m_sockets.insert(socket->id(), socket);
    return socket;
}

const Namespace::EventHandler *Namespace::handler(const QString &event) const
{
    const auto it = m_handlers.constFind(event);
    return it == m_handlers.cend() ? nullptr : &*it;
}

QSet<Socket *> Namespace::socketsIn(const QString &room) const
{
    if (Socket *own = m_sockets.value(room.toLatin1()))
        return { own };
    return m_rooms.value(room);
}

void Namespace::addToRoom(const QString &room, Socket *socket)
{
    m_rooms[room].insert(socket);
}

void Namespace::removeFromRoom(const QString &room, Socket *socket)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    it->remove(socket);
    if (it->isEmpty())
        m_rooms.erase(it);
}

void Namespace::removeSocket(Socket *socket)
{
    m_sockets.remove(socket->id());
}

qsizetype Namespace::broadcast(const BroadcastTarget &target, const QString &event, const QJsonArray &args,
                               const QList<QByteArray> &attachments)
{
    const Packet packet = SocketIo::eventPacket(event, args, attachments, m_name);
    // Encoded once, and once per transport (a WebSocket frame, a poll record) at the
    // first recipient on it: every recipient shares the same bytes.
    const EngineIo::OutboundPacket encoded = EngineIo::OutboundPacket::message(SocketIo::encodePacket(packet));
    QList<EngineIo::OutboundPacket> binaries;
    binaries.reserve(attachments.size());
    for (const QByteArray &attachment : attachments)
        binaries.append(EngineIo::OutboundPacket::binary(attachment));

    qsizetype delivered = 0;
    auto deliver = [&](Socket *socket) {
        if (socket == target.except || !socket->isConnected())
            return;
        delivered += socket->client()->deliverEncoded(encoded, binaries, target.isVolatile);
    };
    if (target.rooms.isEmpty()) {
        // A copy (implicitly shared): a recipient closed as a slow consumer leaves m_sockets meanwhile.
        const auto sockets = m_sockets;
        for (Socket *socket : sockets)
            deliver(socket);
    } else if (target.rooms.size() == 1 && m_rooms.contains(target.rooms.first())) {
        for (Socket *socket : m_rooms.value(target.rooms.first()))
            deliver(socket);
    } else {
        QSet<Socket *> recipients;
        for (const QString &room : target.rooms)
            recipients.unite(socketsIn(room));
        for (Socket *socket : std::as_const(recipients))
            deliver(socket);
    }
    if (auto *server = qobject_cast<Server *>(parent()))
        Client::countSent(server->metrics(), delivered);
    return delivered;
}

} // namespace Confab::Realtime
