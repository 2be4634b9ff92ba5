// One Engine.IO v4 session: heartbeats, the upgrade from long-polling to WebSocket, and
// closing. Moving packets is its transport's (PollingTransport, WebSocketTransport).
#pragma once

#include "engineio/session.h"
#include "engineio/sessiontransport.h"
#include "engineoptions.h"
#include "transport/httprequest.h"

#include <QBasicTimer>
#include <QPointer>

namespace Confab::Transport {
class HttpConnection;
}

namespace Confab::WebSocket {
class Channel;
}

namespace Confab::EngineIo {

class PollingTransport;

class EngineSession : public Session
{
    Q_OBJECT
public:
    using TransportKind = EngineIo::TransportKind;
    using Cors = QList<std::pair<QByteArray, QByteArray>>;

    EngineSession(const QByteArray &id, const EngineOptions &options, QObject *parent = nullptr);
    ~EngineSession() override;

    QByteArray id() const override { return m_id; }
    TransportKind transport() const { return m_transport ? m_transport->kind() : TransportKind::Polling; }
    bool isOpen() const override { return m_open; }
    bool isUpgrading() const { return !m_probe.isNull(); }
    // Told to go (closeAfterFlush) and waiting for its last poll.
    bool isClosing() const { return !m_closeAfterFlushReason.isEmpty(); }
    qint64 queuedBytes() const override { return m_transport ? m_transport->queuedBytes() : 0; }
    qint64 outboundBudget() const override { return m_options.outboundBudgetBytes; }

    void send(const OutboundPacket &packet) override;
    void close(const QString &reason) override;
    // Closes once what is queued has reached the client: at once on WebSocket (the close
    // frame follows the queued frames), with the next poll answer on long-polling (or
    // after a ping period if the client never polls again).
    void closeAfterFlush(const QString &reason) override;

    // Called by the EngineServer.
    void startWithPolling(Transport::HttpConnection *connection, const Cors &cors);
    void startWithWebSocket(WebSocket::Channel *channel);
    void handlePoll(Transport::HttpConnection *connection, const Cors &cors);
    void handlePost(Transport::HttpConnection *connection, const Transport::HttpRequest &request, const Cors &cors);
    void probeWebSocket(WebSocket::Channel *channel);

Q_SIGNALS:
    void upgraded();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void use(SessionTransport *transport);
    void handlePacket(const Packet &packet);
    void handleProbePacket(const Packet &packet);
    void dropProbe();
    void finishUpgrade();
    void closeInternal(const QString &reason, bool announce);
    void startHeartbeat();
    OutboundPacket openPacket(bool offerUpgrade) const;

    QByteArray m_id;
    const EngineOptions &m_options;
    bool m_open = true;
    SessionTransport *m_transport = nullptr; // a child
    QPointer<PollingTransport> m_polling;    // while on long-polling: the requests it serves
    QPointer<SessionTransport> m_probe;      // a WebSocket asking to take over
    bool m_probeAnswered = false;

    QBasicTimer m_pingTimer;
    QBasicTimer m_pongTimer;
    QBasicTimer m_closeTimer;
    QString m_closeAfterFlushReason; // non-empty: closing once what is queued has left
};

} // namespace Confab::EngineIo
