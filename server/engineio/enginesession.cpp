#include "enginesession.h"

#include "engineio/handshake.h"
#include "engineio/pollingtransport.h"
#include "engineio/websockettransport.h"
#include "websocket/channel.h"

#include <QTimerEvent>

namespace Confab::EngineIo {

using Transport::HttpConnection;

EngineSession::EngineSession(const QByteArray &id, const EngineOptions &options, QObject *parent)
    : Session(parent)
    , m_id(id)
    , m_options(options)
{
}

EngineSession::~EngineSession() = default; // the transports are children

OutboundPacket EngineSession::openPacket(bool offerUpgrade) const
{
    Handshake handshake;
    handshake.sid = m_id;
    if (offerUpgrade)
        handshake.upgrades = QStringList { QStringLiteral("websocket") };
    handshake.pingInterval = m_options.pingIntervalMs;
    handshake.pingTimeout = m_options.pingTimeoutMs;
    handshake.maxPayload = m_options.maxPayload;
    return OutboundPacket(PacketType::Open, handshake.toJson());
}

void EngineSession::startWithPolling(HttpConnection *connection, const Cors &cors)
{
    auto *polling = new PollingTransport(m_options, this);
    m_polling = polling;
    use(polling);
    polling->open(connection, cors, openPacket(m_options.allowUpgrades && m_options.allowWebSocket));
    startHeartbeat();
}

void EngineSession::startWithWebSocket(WebSocket::Channel *channel)
{
    use(new WebSocketTransport(channel, this));
    m_transport->send(openPacket(false));
    startHeartbeat();
}

void EngineSession::use(SessionTransport *transport)
{
    m_transport = transport;
    transport->setParent(this);
    connect(transport, &SessionTransport::packetReceived, this, &EngineSession::handlePacket);
    connect(transport, &SessionTransport::failed, this, &EngineSession::close);
    connect(transport, &SessionTransport::lost, this,
            [this] { closeInternal(QStringLiteral("transport close"), false); });
    connect(transport, &SessionTransport::drained, this, [this] { closeInternal(m_closeAfterFlushReason, false); });
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
        if (m_open)
            m_transport->send(OutboundPacket(PacketType::Ping));
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

void EngineSession::send(const OutboundPacket &packet)
{
    if (m_open)
        m_transport->send(packet);
}

void EngineSession::handlePoll(HttpConnection *connection, const Cors &cors)
{
    if (m_polling) // the EngineServer routes polls only to a session on long-polling
        m_polling->handlePoll(connection, cors);
}

void EngineSession::handlePost(HttpConnection *connection, const Transport::HttpRequest &request, const Cors &cors)
{
    if (m_polling)
        m_polling->handlePost(connection, request, cors);
}

void EngineSession::handlePacket(const Packet &packet)
{
    if (!m_open)
        return;
    if (packet.isBinary) {
        Q_EMIT binaryReceived(packet.data);
        return;
    }
    switch (packet.type) {
    case PacketType::Message: Q_EMIT textReceived(packet.data); break;
    case PacketType::Pong:
        m_pongTimer.stop();
        if (!m_pingTimer.isActive())
            m_pingTimer.start(m_options.pingIntervalMs, Qt::PreciseTimer, this);
        break;
    case PacketType::Ping: m_transport->send(OutboundPacket(PacketType::Pong, packet.data)); break;
    case PacketType::Close: closeInternal(QStringLiteral("client close"), false); break;
    case PacketType::Noop: break;
    case PacketType::Open:
    case PacketType::Upgrade: close(QStringLiteral("parse error")); break;
    }
}

void EngineSession::probeWebSocket(WebSocket::Channel *channel)
{
    if (!m_open || !m_polling || m_probe) {
        channel->close();
        delete channel; // closed gracefully: the worker still sends the close frame
        return;
    }
    auto *probe = new WebSocketTransport(channel, this);
    m_probe = probe;
    m_probeAnswered = false;
    connect(probe, &SessionTransport::packetReceived, this, &EngineSession::handleProbePacket);
    connect(probe, &SessionTransport::failed, this, &EngineSession::dropProbe);
    connect(probe, &SessionTransport::lost, this, [this, probe] {
        if (m_probe == probe)
            dropProbe();
        else
            probe->deleteLater();
    });
}

void EngineSession::handleProbePacket(const Packet &packet)
{
    // Only 2probe and 5 belong on a probe.
    if (!packet.isBinary && packet.type == PacketType::Ping && packet.data == "probe") {
        m_probe->send(OutboundPacket(PacketType::Pong, "probe"));
        m_probeAnswered = true;
        // End the waiting poll so the client can pause polling and complete the upgrade.
        m_polling->setUpgrading(true);
        return;
    }
    if (!packet.isBinary && packet.type == PacketType::Upgrade && packet.data.isEmpty() && m_probeAnswered)
        return finishUpgrade();
    dropProbe();
}

void EngineSession::dropProbe()
{
    SessionTransport *probe = m_probe;
    m_probe = nullptr;
    if (m_polling)
        m_polling->setUpgrading(false);
    if (!probe)
        return;
    probe->disconnect(this);
    probe->shutdown(false);
    probe->deleteLater();
}

void EngineSession::finishUpgrade()
{
    SessionTransport *webSocket = m_probe;
    m_probe = nullptr;
    webSocket->disconnect(this);
    PollingTransport *polling = m_polling;
    m_polling = nullptr;
    const QList<OutboundPacket> queued = polling->takeQueue();
    polling->disconnect(this);
    polling->shutdown(false); // a waiting poll gets a noop
    polling->deleteLater();
    use(webSocket);
    for (const OutboundPacket &packet : queued)
        m_transport->send(packet);
    Q_EMIT upgraded();
}

void EngineSession::close(const QString &reason)
{
    closeInternal(reason, true);
}

void EngineSession::closeAfterFlush(const QString &reason)
{
    if (!m_open)
        return;
    m_closeAfterFlushReason = reason;
    m_closeTimer.start(m_options.pingIntervalMs + m_options.pingTimeoutMs, this);
    m_transport->closeAfterFlush();
}

void EngineSession::closeInternal(const QString &reason, bool announce)
{
    if (!m_open)
        return;
    m_open = false;
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_closeTimer.stop();
    m_transport->shutdown(announce);
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->shutdown(false);
    }
    Q_EMIT closed(reason);
}

} // namespace Confab::EngineIo
