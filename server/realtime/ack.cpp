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
    m_socket->sendPacket(SocketIo::ackPacket(m_id, args, attachments));
}

} // namespace Confab::Realtime
