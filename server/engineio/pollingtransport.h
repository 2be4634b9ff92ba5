// An Engine.IO session's long-polling: packets wait in a queue for the client's next
// GET, and everything queued in one event-loop pass leaves in one poll answer; POSTs
// carry the client's packets.
#pragma once

#include "engineio/engineoptions.h"
#include "engineio/sessiontransport.h"

#include <QObject>
#include <QPointer>

namespace Confab::Transport {
class HttpConnection;
}

namespace Confab::EngineIo {

using CorsHeaders = QList<std::pair<QByteArray, QByteArray>>;

class PollingTransport final : public SessionTransport
{
public:
    PollingTransport(const EngineOptions &options, TransportListener *listener);

    TransportKind kind() const override { return TransportKind::Polling; }
    void send(const OutboundPacket &packet) override;
    qint64 queuedBytes() const override { return m_queueBytes; }
    void closeAfterFlush() override;
    void shutdown(bool announce) override;
    void setUpgrading(bool upgrading) override;

    // Answers the handshake request with the open packet.
    void open(Transport::HttpConnection *connection, const CorsHeaders &cors, const OutboundPacket &openPacket);
    void handlePoll(Transport::HttpConnection *connection, const CorsHeaders &cors);
    void handlePost(Transport::HttpConnection *connection, const Transport::HttpRequest &request,
                    const CorsHeaders &cors);
    // What no poll has taken yet: it leaves on the WebSocket that replaces this transport.
    QList<OutboundPacket> takeQueue();

private:
    void scheduleFlush();
    void flush();
    void answerPoll(const QByteArray &payload);
    void answerClosingPoll();
    QByteArray takePayload();

    const EngineOptions &m_options;
    QList<OutboundPacket> m_queue; // their polling records already built
    qint64 m_queueBytes = 0;
    // Context of the queued flush and of the waiting poll's connection: both go with us.
    QObject m_context;
    bool m_flushScheduled = false;
    QPointer<Transport::HttpConnection> m_pendingPoll;
    CorsHeaders m_pendingPollCors;
    bool m_upgrading = false;
    bool m_closing = false; // closeAfterFlush(): the close goes in a poll answer of its own
    bool m_ended = false;
};

} // namespace Confab::EngineIo
