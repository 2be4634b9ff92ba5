// An Engine.IO session's WebSocket: packets as frames on a WebSocket::Channel served by
// an I/O worker. A broadcast's frame is built once and shared by every recipient.
#pragma once

#include "engineio/sessiontransport.h"

#include <QPointer>

namespace Confab::WebSocket {
class Channel;
}

namespace Confab::EngineIo {

class WebSocketTransport final : public SessionTransport
{
    Q_OBJECT
public:
    // Takes the channel (it becomes a child).
    explicit WebSocketTransport(WebSocket::Channel *channel, QObject *parent = nullptr);

    TransportKind kind() const override { return TransportKind::WebSocket; }
    void send(const OutboundPacket &packet) override;
    qint64 queuedBytes() const override;
    void closeAfterFlush() override;
    void shutdown(bool announce) override;

private:
    void handleText(const QByteArray &text);

    QPointer<WebSocket::Channel> m_channel;
};

} // namespace Confab::EngineIo
