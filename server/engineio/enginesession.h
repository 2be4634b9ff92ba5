// One Engine.IO v4 session: heartbeats, the upgrade from long-polling to WebSocket, and
// closing. Moving packets is its transport's (PollingTransport, WebSocketTransport).
#pragma once

#include "engineio/session.h"
#include "engineio/sessiontransport.h"
#include "engineoptions.h"
#include "transport/httprequest.h"

#include <QBasicTimer>
#include <QHostAddress>

#include <memory>
#include <vector>

namespace Confab::Transport {
class HttpConnection;
}

namespace Confab::WebSocket {
class Channel;
}

namespace Confab::EngineIo {

class EngineSession;
class PollingTransport;

// Told of a session's upgrade and close before anyone else (the EngineServer that keeps
// its sessions): a direct call, not a connection per session.
class SessionOwner
{
public:
    virtual void sessionUpgraded(EngineSession *session) = 0;
    virtual void sessionClosed(EngineSession *session, const QString &reason) = 0;

protected:
    ~SessionOwner() = default;
};

class EngineSession final : public Session, private TransportListener
{
    Q_OBJECT
public:
    using TransportKind = EngineIo::TransportKind;
    using Cors = QList<std::pair<QByteArray, QByteArray>>;

    // `owner` (optional) is told first of the upgrade and the close.
    EngineSession(const QByteArray &id, const EngineOptions &options, SessionOwner *owner = nullptr,
                  QObject *parent = nullptr);
    ~EngineSession() override;

    QByteArray id() const override { return m_id; }
    TransportKind transport() const { return m_transport ? m_transport->kind() : TransportKind::Polling; }
    bool isOpen() const override { return m_open; }
    bool isUpgrading() const { return bool(m_probe); }
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
    // Where the session's handshake came from.
    QHostAddress peerAddress() const { return m_peerAddress; }
    void setPeerAddress(const QHostAddress &address) { m_peerAddress = address; }

Q_SIGNALS:
    void upgraded();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    TransportListener *listener() { return this; } // the base is private
    void transportPacket(SessionTransport *transport, const Packet &packet) override;
    void transportFailed(SessionTransport *transport, const QString &reason) override;
    void transportLost(SessionTransport *transport) override;
    void transportDrained(SessionTransport *transport) override;

    // Let go of a transport that may still be reporting: deleted after this pass.
    void retire(std::unique_ptr<SessionTransport> transport);
    void handlePacket(const Packet &packet);
    void handleProbePacket(const Packet &packet);
    void dropProbe();
    void finishUpgrade();
    void closeInternal(const QString &reason, bool announce);
    void startHeartbeat();
    OutboundPacket openPacket(bool offerUpgrade) const;

    QByteArray m_id;
    const EngineOptions &m_options;
    SessionOwner *m_owner;
    QHostAddress m_peerAddress;
    bool m_open = true;
    bool m_probeAnswered = false;
    std::unique_ptr<SessionTransport> m_transport;
    PollingTransport *m_polling = nullptr;     // m_transport while on long-polling
    std::unique_ptr<SessionTransport> m_probe; // a WebSocket asking to take over
    std::vector<std::unique_ptr<SessionTransport>> m_retired;

    QBasicTimer m_pingTimer;
    QBasicTimer m_pongTimer;
    QBasicTimer m_closeTimer;
    QString m_closeAfterFlushReason; // non-empty: closing once what is queued has left
};

} // namespace Confab::EngineIo
