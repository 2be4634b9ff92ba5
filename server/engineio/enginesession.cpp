#include "enginesession.h"

#include "engineio/handshake.h"
#include "engineio/pollingtransport.h"
#include "engineio/websockettransport.h"
#include "websocket/channel.h"

#include <QTimerEvent>

namespace Confab::EngineIo {

using Transport::HttpConnection;

EngineSession::EngineSession(const QByteArray &id, const EngineOptions &options, SessionOwner *owner, QObject *parent)
    : Session(parent)
    , m_id(id)
    , m_options(options)
    , m_owner(owner)
{
}

EngineSession::~EngineSession() = default;

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
    auto polling = std::make_unique<PollingTransport>(m_options, listener());
    m_polling = polling.get();
    m_transport = std::move(polling);
    m_polling->open(connection, cors, openPacket(m_options.allowUpgrades && m_options.allowWebSocket));
    startHeartbeat();
}

void EngineSession::startWithWebSocket(WebSocket::Channel *channel)
{
    m_transport = std::make_unique<WebSocketTransport>(channel, listener());
    m_transport->send(openPacket(false));
    startHeartbeat();
}

void EngineSession::retire(std::unique_ptr<SessionTransport> transport)
{
    transport->detach();
    if (m_retired.empty())
        QMetaObject::invokeMethod(
            this, [this] { m_retired.clear(); }, Qt::QueuedConnection);
    m_retired.push_back(std::move(transport));
}

void EngineSession::transportPacket(SessionTransport *transport, const Packet &packet)
{
    if (transport == m_probe.get())
        handleProbePacket(packet);
    else
        handlePacket(packet);
}

void EngineSession::transportFailed(SessionTransport *transport, const QString &reason)
{
    if (transport == m_probe.get())
        dropProbe();
    else
        close(reason);
}

void EngineSession::transportLost(SessionTransport *transport)
{
    if (transport == m_probe.get())
        dropProbe();
    else
        closeInternal(QStringLiteral("transport close"), false);
}

void EngineSession::transportDrained(SessionTransport *transport)
{
    if (transport == m_transport.get())
        closeInternal(m_closeAfterFlushReason, false);
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
    m_probe = std::make_unique<WebSocketTransport>(channel, listener());
    m_probeAnswered = false;
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
    std::unique_ptr<SessionTransport> probe = std::move(m_probe);
    if (m_polling)
        m_polling->setUpgrading(false);
    if (!probe)
        return;
    probe->shutdown(false);
    retire(std::move(probe));
}

void EngineSession::finishUpgrade()
{
    const QList<OutboundPacket> queued = std::exchange(m_polling, nullptr)->takeQueue();
    m_transport->shutdown(false); // a waiting poll gets a noop
    retire(std::exchange(m_transport, std::move(m_probe)));
    for (const OutboundPacket &packet : queued)
        m_transport->send(packet);
    if (m_owner)
        m_owner->sessionUpgraded(this);
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
        m_probe->detach();
        m_probe->shutdown(false);
    }
    if (m_owner)
        m_owner->sessionClosed(this, reason);
    Q_EMIT closed(reason);
}

} // namespace Confab::EngineIo
