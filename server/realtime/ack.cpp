#include "realtime/ack.h"

#include "realtime/socket.h"

namespace Confab::Realtime {

Ack::Ack(Socket *socket, qint64 id)
    : m_socket(socket)
    , m_id(id)
    , m_sent(std::make_shared<bool>(false))
{
}

void Ack::send(const QJsonArray &args, const QList<QByteArray> &attachments) const
{
    if (m_id < 0 || !m_socket || *m_sent)
        return;
    *m_sent = true;
    SocketIo::Packet packet;
    packet.type = attachments.isEmpty() ? SocketIo::PacketType::Ack : SocketIo::PacketType::BinaryAck;
    packet.id = m_id;
    packet.data = args;
    packet.attachmentCount = int(attachments.size());
    packet.attachments = attachments;
    m_socket->sendPacket(packet);
}

} // namespace Confab::Realtime
