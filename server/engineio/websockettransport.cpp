#include "engineio/websockettransport.h"

#include "websocket/channel.h"

namespace Confab::EngineIo {

WebSocketTransport::WebSocketTransport(WebSocket::Channel *channel, QObject *parent)
    : SessionTransport(parent)
    , m_channel(channel)
{
    channel->setParent(this);
    connect(channel, &WebSocket::Channel::textReceived, this, &WebSocketTransport::handleText);
    connect(channel, &WebSocket::Channel::binaryReceived, this,
            [this](const QByteArray &bytes) { Q_EMIT packetReceived(Packet::binary(bytes)); });
    connect(channel, &WebSocket::Channel::disconnected, this, &SessionTransport::lost);
}

void WebSocketTransport::send(const OutboundPacket &packet)
{
    if (m_channel)
        m_channel->sendFrame(packet.webSocketFrame());
}

qint64 WebSocketTransport::queuedBytes() const
{
    return m_channel ? m_channel->queuedBytes() : 0;
}

void WebSocketTransport::closeAfterFlush()
{
    Q_EMIT drained(); // the close frame leaves after everything queued
}

void WebSocketTransport::shutdown(bool announce)
{
    Q_UNUSED(announce); // the close frame says it either way
    if (!m_channel)
        return;
    m_channel->disconnect(this);
    m_channel->close();
}

void WebSocketTransport::handleText(const QByteArray &text)
{
    if (auto packet = decodeTextPacket(text))
        Q_EMIT packetReceived(*packet);
    else
        Q_EMIT failed(QStringLiteral("parse error"));
}

} // namespace Confab::EngineIo
