#include "engineio/websockettransport.h"

namespace Confab::EngineIo {

WebSocketTransport::WebSocketTransport(WebSocket::Channel *channel, TransportListener *listener)
    : SessionTransport(listener)
    , m_channel(channel)
{
    channel->setReceiver(this);
}

// Closed gracefully, the worker still sends the close frame; otherwise the channel aborts.
WebSocketTransport::~WebSocketTransport() = default;

void WebSocketTransport::closeAfterFlush()
{
    reportDrained(); // the close frame leaves after everything queued
}

void WebSocketTransport::shutdown(bool announce)
{
    Q_UNUSED(announce); // the close frame says it either way
    m_channel->setReceiver(nullptr);
    m_channel->close();
}

void WebSocketTransport::textReceived(const QByteArray &text)
{
    if (auto packet = decodeTextPacket(text))
        reportPacket(*packet);
    else
        reportFailed(QStringLiteral("parse error"));
}

void WebSocketTransport::binaryReceived(const QByteArray &bytes)
{
    reportPacket(Packet::binary(bytes));
}

void WebSocketTransport::disconnected()
{
    reportLost();
}

} // namespace Confab::EngineIo
