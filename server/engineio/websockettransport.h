// An Engine.IO session's WebSocket: packets as frames on a WebSocket::Channel served by
// an I/O worker. A broadcast's frame is built once and shared by every recipient.
#pragma once

#include "engineio/sessiontransport.h"
#include "websocket/channel.h"

#include <memory>

namespace Confab::EngineIo {

class WebSocketTransport final : public SessionTransport, private WebSocket::ChannelReceiver
{
public:
    // Takes the channel.
    WebSocketTransport(WebSocket::Channel *channel, TransportListener *listener);
    ~WebSocketTransport() override;

    TransportKind kind() const override { return TransportKind::WebSocket; }
    void send(const OutboundPacket &packet) override { m_channel->sendFrame(packet.webSocketFrame()); }
    qint64 queuedBytes() const override { return m_channel->queuedBytes(); }
    void closeAfterFlush() override;
    void shutdown(bool announce) override;

private:
    void textReceived(const QByteArray &text) override;
    void binaryReceived(const QByteArray &bytes) override;
    void disconnected() override;

    std::unique_ptr<WebSocket::Channel> m_channel;
};

} // namespace Confab::EngineIo
