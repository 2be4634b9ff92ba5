#include "enginesession.h"

#include "engineio/handshake.h"
#include "transport/httpconnection.h"

#include "websocket/channel.h"

#include <QTimerEvent>

namespace Confab::EngineIo {

using Transport::HttpConnection;
using Transport::HttpResponse;

EngineSession::EngineSession(const QByteArray &id, const EngineOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_options(options)
{
}

EngineSession::~EngineSession() = default; // the channels are children

namespace {

QByteArray openPacket(const EngineOptions &options, const QByteArray &sid, bool offerUpgrade)
{
    Handshake handshake;
    handshake.sid = sid;
    if (offerUpgrade)
        handshake.upgrades = QStringList { QStringLiteral("websocket") };
    handshake.pingInterval = options.pingIntervalMs;
    handshake.pingTimeout = options.pingTimeoutMs;
    handshake.maxPayload = options.maxPayload;
    return handshake.toJson();
}

// Engine.IO error 3, which also ends the session.
HttpResponse badRequest(const QList<std::pair<QByteArray, QByteArray>> &cors)
{
    HttpResponse response = HttpResponse::json(400, { { QStringLiteral("code"), 3 },
                                                      { QStringLiteral("message"), QStringLiteral("Bad request") } });
    response.headers.append(cors);
    return response;
}

} // namespace

void EngineSession::startWithPolling(HttpConnection *connection, const QList<std::pair<QByteArray, QByteArray>> &cors)
{
    m_transport = TransportKind::Polling;
    const bool offerUpgrade = m_options.allowUpgrades && m_options.allowWebSocket;
    HttpResponse response = HttpResponse::text(
        200, encodePayload({ Packet::text(PacketType::Open, openPacket(m_options, m_id, offerUpgrade)) }));
    response.headers.append(cors);
    connection->respond(response);
    startHeartbeat();
}

void EngineSession::startWithWebSocket(WebSocket::Channel *channel)
{
    m_transport = TransportKind::WebSocket;
    attachWebSocket(channel);
    sendPacket(Packet::text(PacketType::Open, openPacket(m_options, m_id, false)));
    startHeartbeat();
}

void EngineSession::attachWebSocket(WebSocket::Channel *channel)
{
    m_webSocket = channel;
    channel->setParent(this);
    connect(channel, &WebSocket::Channel::textReceived, this, &EngineSession::handleWebSocketText);
    connect(channel, &WebSocket::Channel::binaryReceived, this, [this](const QByteArray &bytes) {
        if (m_open)
            Q_EMIT binaryReceived(bytes);
    });
    connect(channel, &WebSocket::Channel::disconnected, this, [this] {
        closeInternal(QStringLiteral("transport close"), PacketType::Noop);
    });
}

void EngineSession::startHeartbeat()
{
    // Precise: clients time the same intervals and expect the close on schedule.
    m_pingTimer.start(m_options.pingIntervalMs, Qt::PreciseTimer, this);
}

void EngineSession::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_pingTimer.timerId()) {
        m_pingTimer.stop();
        sendPacket(Packet::text(PacketType::Ping));
        m_pongTimer.start(m_options.pingTimeoutMs, Qt::PreciseTimer, this);
    } else if (event->timerId() == m_pongTimer.timerId()) {
        m_pongTimer.stop();
        close(QStringLiteral("ping timeout"));
    } else if (event->timerId() == m_closeTimer.timerId()) {
        close(m_closeAfterFlushReason); // the client never came back for its last poll
    } else {
        QObject::timerEvent(event);
    }
}

void EngineSession::sendText(const QByteArray &message)
{
    sendPacket(Packet::text(PacketType::Message, message));
}

void EngineSession::sendText(const QByteArray &message, const QByteArray &webSocketFrame)
{
    if (m_open && m_transport == TransportKind::WebSocket && m_webSocket && !webSocketFrame.isEmpty())
        m_webSocket->sendFrame(webSocketFrame);
    else
        sendText(message);
}

QByteArray EngineSession::webSocketTextFrame(const QByteArray &message)
{
    return WebSocket::encodeFrame(WebSocket::Opcode::Text, message, char(PacketType::Message));
}

void EngineSession::sendBinary(const QByteArray &bytes)
{
    sendPacket(Packet::binary(bytes));
}

void EngineSession::sendPacket(const Packet &packet)
{
    if (!m_open)
        return;
    if (m_transport == TransportKind::WebSocket && m_webSocket) {
        if (packet.isBinary)
            m_webSocket->sendBinary(packet.data);
        else
            m_webSocket->sendText(packet.data, char(packet.type));
        return;
    }
    m_pollQueue.append(packet);
    m_pollQueueBytes += packet.data.size() + 2;
    scheduleFlush();
}

QList<Packet> EngineSession::takePollQueue()
{
    m_pollQueueBytes = 0;
    return std::exchange(m_pollQueue, {});
}

qint64 EngineSession::queuedBytes() const
{
    if (m_transport == TransportKind::WebSocket)
        return m_webSocket ? m_webSocket->queuedBytes() : 0;
    return m_pollQueueBytes;
}

void EngineSession::scheduleFlush()
{
    // Packets queued in one event-loop pass leave in one poll answer.
    if (m_pendingPoll)
        m_flush.schedule();
}

void EngineSession::flushPoll()
{
    if (!m_pendingPoll || m_pollQueue.isEmpty())
        return;
    answerPoll(takePollQueue());
}

void EngineSession::answerPoll(const QList<Packet> &packets)
{
    HttpConnection *connection = m_pendingPoll;
    m_pendingPoll = nullptr;
    if (!connection)
        return;
    connection->disconnect(this);
    HttpResponse response = HttpResponse::text(200, encodePayload(packets));
    response.headers.append(m_pendingPollCors);
    connection->respond(response);
}

void EngineSession::handlePoll(HttpConnection *connection, const QList<std::pair<QByteArray, QByteArray>> &cors)
{
    if (m_pendingPoll) {
        // Two polls at once break the protocol: refuse this one and end the session.
        connection->respond(badRequest(cors));
        close(QStringLiteral("duplicate poll"));
        return;
    }
    m_pendingPoll = connection;
    m_pendingPollCors = cors;
    if (!m_closeAfterFlushReason.isEmpty())
        return handleClosingPoll();
    connect(connection, &HttpConnection::closed, this, [this] {
        m_pendingPoll = nullptr;
        closeInternal(QStringLiteral("transport close"), PacketType::Noop);
    });
    if (!m_pollQueue.isEmpty())
        scheduleFlush();
    else if (isUpgrading() && m_probeAnswered)
        answerPoll({ Packet::text(PacketType::Noop) });
}

void EngineSession::handlePost(HttpConnection *connection, const Transport::HttpRequest &request,
                               const QList<std::pair<QByteArray, QByteArray>> &cors)
{
    auto packets = decodePayload(request.body);
    if (!packets || request.body.size() > m_options.maxPayload) {
        connection->respond(badRequest(cors));
        close(QStringLiteral("parse error"));
        return;
    }
    HttpResponse ok = HttpResponse::text(200, "ok");
    ok.headers.append(cors);
    connection->respond(ok);
    for (const Packet &packet : std::as_const(*packets)) {
        if (!m_open)
            break;
        handlePacket(packet);
    }
}

void EngineSession::handleWebSocketText(const QByteArray &text)
{
    auto packet = decodeTextPacket(text);
    if (!packet) {
        close(QStringLiteral("parse error"));
        return;
    }
    handlePacket(*packet);
}

void EngineSession::handlePacket(const Packet &packet)
{
    if (packet.isBinary) {
        Q_EMIT binaryReceived(packet.data);
        return;
    }
    switch (packet.type) {
    case PacketType::Message:
        Q_EMIT textReceived(packet.data);
        break;
    case PacketType::Pong:
        m_pongTimer.stop();
        if (!m_pingTimer.isActive())
            m_pingTimer.start(m_options.pingIntervalMs, Qt::PreciseTimer, this);
        break;
    case PacketType::Ping:
        sendPacket(Packet::text(PacketType::Pong, packet.data));
        break;
    case PacketType::Close:
        closeInternal(QStringLiteral("client close"), PacketType::Noop);
        break;
    case PacketType::Noop:
        break;
    case PacketType::Open:
    case PacketType::Upgrade:
        close(QStringLiteral("parse error"));
        break;
    }
}

void EngineSession::probeWebSocket(WebSocket::Channel *channel)
{
    if (!m_open || m_transport != TransportKind::Polling || m_probe) {
        channel->close();
        delete channel; // closed gracefully: the worker still sends the close frame
        return;
    }
    m_probe = channel;
    m_probeAnswered = false;
    channel->setParent(this);
    connect(channel, &WebSocket::Channel::textReceived, this, &EngineSession::handleProbeText);
    connect(channel, &WebSocket::Channel::binaryReceived, this, [this] {
        // Only 2probe and 5 belong on a probe.
        if (m_probe) {
            m_probe->close();
            m_probe->deleteLater();
        }
    });
    connect(channel, &WebSocket::Channel::disconnected, channel, &QObject::deleteLater);
}

void EngineSession::handleProbeText(const QByteArray &text)
{
    WebSocket::Channel *probe = m_probe;
    if (!probe)
        return;
    if (text == "2probe") {
        probe->sendText("3probe");
        m_probeAnswered = true;
        // End the waiting poll so the client can pause polling and complete the upgrade.
        if (m_pendingPoll && m_pollQueue.isEmpty())
            answerPoll({ Packet::text(PacketType::Noop) });
        return;
    }
    if (text == "5" && m_probeAnswered) {
        disconnect(probe, nullptr, this, nullptr);
        m_probe = nullptr;
        if (m_pendingPoll)
            answerPoll({ Packet::text(PacketType::Noop) });
        m_transport = TransportKind::WebSocket;
        attachWebSocket(probe);
        for (const Packet &packet : takePollQueue())
            sendPacket(packet);
        Q_EMIT upgraded();
        return;
    }
    m_probe = nullptr;
    probe->close();
    probe->deleteLater();
}

void EngineSession::close(const QString &reason)
{
    closeInternal(reason, PacketType::Close);
}

void EngineSession::closeAfterFlush(const QString &reason)
{
    if (!m_open)
        return;
    if (m_transport == TransportKind::WebSocket && m_webSocket)
        return close(reason);
    m_closeAfterFlushReason = reason;
    m_closeTimer.start(m_options.pingIntervalMs + m_options.pingTimeoutMs, this);
    if (m_pendingPoll)
        handleClosingPoll();
}

void EngineSession::handleClosingPoll()
{
    // What is queued goes in this answer and the close in the next one, as the stock
    // engine.io server does: socket.io-client dispatches events one tick late, and an
    // event that shares a payload with the close would arrive on a socket already closed.
    if (!m_pollQueue.isEmpty())
        return answerPoll(takePollQueue());
    answerPoll({ Packet::text(PacketType::Close) });
    closeInternal(m_closeAfterFlushReason, PacketType::Noop);
}

void EngineSession::closeInternal(const QString &reason, PacketType pollAnswer)
{
    if (!m_open)
        return;
    m_open = false;
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_closeTimer.stop();
    if (m_pendingPoll)
        answerPoll({ Packet::text(pollAnswer) });
    if (m_webSocket) {
        m_webSocket->disconnect(this);
        m_webSocket->close();
    }
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->close();
    }
    Q_EMIT closed(reason);
}

} // namespace Confab::EngineIo
