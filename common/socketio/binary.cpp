#include "socketio/binary.h"

#include <QJsonObject>

namespace Confab::SocketIo {

bool BinaryAssembler::start(Packet header)
{
    if (header.attachmentCount > m_maxAttachments)
        return false;
    m_pending = std::move(header);
    return true;
}

std::optional<Packet> BinaryAssembler::add(const QByteArray &attachment)
{
    if (!m_pending)
        return std::nullopt;
    m_pending->attachments.append(attachment);
    if (!m_pending->isComplete())
        return std::nullopt;
    std::optional<Packet> done = std::move(m_pending);
    m_pending.reset();
    return done;
}

QJsonValue placeholder(int num)
{
    return QJsonObject { { QStringLiteral("_placeholder"), true }, { QStringLiteral("num"), num } };
}

} // namespace Confab::SocketIo
