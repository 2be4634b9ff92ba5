// One Engine.IO v4 session: its transport (long-polling or WebSocket), the upgrade
// between them, heartbeats, and the queue of packets not yet written to a poll.
#pragma once

#include "engineio/packet.h"
#include "engineoptions.h"
#include "transport/httprequest.h"
#include "util/endofpass.h"

#include <QBasicTimer>
#include <QObject>
#include <QPointer>

namespace Confab::Transport {
class HttpConnection;
}

namespace Confab::WebSocket {
class Channel;
}

namespace Confab::EngineIo {

class EngineSession : public QObject
{
    Q_OBJECT
public:
    enum class TransportKind { Polling, WebSocket };
    Q_ENUM(TransportKind)

    EngineSession(const QByteArray &id, const EngineOptions &options, QObject *parent = nullptr);
    ~EngineSession() override;

    QByteArray id() const { return m_id; }
    TransportKind transport() const { return m_transport; }
    bool isOpen() const { return m_open; }
    bool isUpgrading() const { return !m_probe.isNull(); }
    // Told to go (closeAfterFlush) and waiting for its last poll.
    bool isClosing() const { return !m_closeAfterFlushReason.isEmpty(); }
    // Bytes written by us but not yet taken by the client (or its TCP connection).
    qint64 queuedBytes() const;
    qint64 outboundBudget() const { return m_options.outboundBudgetBytes; }

    // An Engine.IO message packet. The data is already encoded; it is shared, not copied.
    void sendText(const QByteArray &message);
    // The same, with the WebSocket frame for it built once by the caller (a broadcast):
    // on WebSocket those bytes go straight to the socket, no per-recipient encoding.
    void sendText(const QByteArray &message, const QByteArray &webSocketFrame);
    // The unmasked WebSocket text frame carrying Engine.IO message `message`.
    static QByteArray webSocketTextFrame(const QByteArray &message);
    void sendBinary(const QByteArray &bytes);
    // Server-initiated close.
    void close(const QString &reason);
    // Closes once what is queued has reached the client: at once on WebSocket (the close
    // frame follows the queued frames), with the next poll answer on long-polling (or
    // after a ping period if the client never polls again).
    void closeAfterFlush(const QString &reason);

    // Called by the EngineServer.
    void startWithPolling(Transport::HttpConnection *connection, const QList<std::pair<QByteArray, QByteArray>> &cors);
    void startWithWebSocket(WebSocket::Channel *channel);
    void handlePoll(Transport::HttpConnection *connection, const QList<std::pair<QByteArray, QByteArray>> &cors);
    void handlePost(Transport::HttpConnection *connection, const Transport::HttpRequest &request,
                    const QList<std::pair<QByteArray, QByteArray>> &cors);
    void probeWebSocket(WebSocket::Channel *channel);

Q_SIGNALS:
    void textReceived(const QByteArray &message);
    void binaryReceived(const QByteArray &bytes);
    void upgraded();
    void closed(const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void sendPacket(const Packet &packet);
    void handlePacket(const Packet &packet);
    void handleWebSocketText(const QByteArray &text);
    void handleProbeText(const QByteArray &text);
    void attachWebSocket(WebSocket::Channel *channel);
    void flushPoll();
    void scheduleFlush();
    void answerPoll(const QList<Packet> &packets);
    void closeInternal(const QString &reason, PacketType pollAnswer);
    void handleClosingPoll();
    QList<Packet> takePollQueue();
    void startHeartbeat();

    QByteArray m_id;
    const EngineOptions &m_options;
    TransportKind m_transport = TransportKind::Polling;
    bool m_open = true;
    EndOfPass<EngineSession> m_flush { this, &EngineSession::flushPoll }; // a pass's packets in one poll answer

    QList<Packet> m_pollQueue;
    qint64 m_pollQueueBytes = 0;
    QPointer<Transport::HttpConnection> m_pendingPoll;
    QList<std::pair<QByteArray, QByteArray>> m_pendingPollCors;
    QPointer<WebSocket::Channel> m_webSocket;
    QPointer<WebSocket::Channel> m_probe;
    bool m_probeAnswered = false;

    QBasicTimer m_pingTimer;
    QBasicTimer m_pongTimer;
    QBasicTimer m_closeTimer;
    QString m_closeAfterFlushReason; // non-empty: close with the next poll answer
};

} // namespace Confab::EngineIo
