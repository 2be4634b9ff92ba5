#include "engineioclient.h"

#include "pollingtransport.h"
#include "websockettransport.h"

#include <QTimerEvent>

namespace Confab::Client {

using EngineIo::Packet;
using EngineIo::PacketType;

EngineIoClient::EngineIoClient(QObject *parent)
    : QObject(parent)
{
}

EngineIoClient::~EngineIoClient()
{
    close();
}

QString EngineIoClient::transportName() const
{
    return m_transport ? m_transport->name() : QString();
}

void EngineIoClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void EngineIoClient::open()
{
    if (m_state != State::Closed)
        return;
    setState(State::Opening);
    m_handshake = {};
    if (m_mode == TransportMode::PollingOnly)
        start(new PollingTransport(m_options, this));
    else
        start(new WebSocketTransport(m_options, this));
}

void EngineIoClient::start(EngineTransport *transport)
{
    m_transport = transport;
    connect(transport, &EngineTransport::packetsReceived, this, &EngineIoClient::handlePackets);
    connect(transport, &EngineTransport::failed, this, &EngineIoClient::handleFailure);
    Q_EMIT transportChanged(transport->name());
    transport->open({});
}

void EngineIoClient::handleFailure(const QString &reason, int httpStatus, int retryAfterMs)
{
    // A WebSocket that never opened (a proxy refusing upgrades): fall back to polling.
    if (m_state == State::Opening && m_mode == TransportMode::Auto && m_transport
        && m_transport->name() == QLatin1String("websocket")) {
        m_transport->disconnect(this);
        m_transport->deleteLater();
        start(new PollingTransport(m_options, this));
        return;
    }
    shutdown(reason, httpStatus, retryAfterMs);
}

void EngineIoClient::handlePackets(const QList<Packet> &packets)
{
    for (const Packet &packet : packets) {
        if (m_state == State::Closed)
            return;
        if (packet.isBinary) {
            Q_EMIT binaryReceived(packet.data);
            continue;
        }
        switch (packet.type) {
        case PacketType::Open: {
            const auto handshake = EngineIo::Handshake::fromJson(packet.data);
            if (!handshake || m_state != State::Opening)
                return shutdown(QStringLiteral("bad handshake from server"), 0);
            m_handshake = *handshake;
            if (auto *polling = qobject_cast<PollingTransport *>(m_transport.data()))
                polling->setSid(m_handshake.sid);
            setState(State::Open);
            resetWatchdog();
            Q_EMIT opened();
            if (m_mode == TransportMode::Auto && m_handshake.upgrades.contains(QLatin1String("websocket")))
                tryUpgrade();
            break;
        }
        case PacketType::Ping:
            resetWatchdog();
            send(Packet::text(PacketType::Pong, packet.data));
            break;
        case PacketType::Message: Q_EMIT textReceived(packet.data); break;
        case PacketType::Close: return shutdown(QStringLiteral("server close"), 0);
        case PacketType::Noop:
        case PacketType::Pong:
        case PacketType::Upgrade: break;
        }
    }
}

void EngineIoClient::resetWatchdog()
{
    // The server pings every pingInterval and waits pingTimeout: silence for longer is death.
    m_watchdog.start(m_handshake.pingInterval + m_handshake.pingTimeout, this);
}

void EngineIoClient::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_watchdog.timerId())
        return QObject::timerEvent(event);
    shutdown(QStringLiteral("ping timeout"), 0);
}

void EngineIoClient::tryUpgrade()
{
    auto *probe = new WebSocketTransport(m_options, this);
    m_probe = probe;
    connect(probe, &EngineTransport::opened, this,
            [probe] { probe->send({ Packet::text(PacketType::Ping, "probe") }); });
    connect(probe, &EngineTransport::packetsReceived, this, [this, probe](const QList<Packet> &packets) {
        if (packets.size() == 1 && packets.first().type == PacketType::Pong && packets.first().data == "probe") {
            m_upgrading = true;
            // Pause polling; packets sent meanwhile wait and go over the WebSocket.
            if (auto *polling = qobject_cast<PollingTransport *>(m_transport.data()))
                polling->pause([this] { finishUpgrade(); });
            return;
        }
        probe->deleteLater(); // anything else: stay on polling
    });
    connect(probe, &EngineTransport::failed, probe, &QObject::deleteLater);
    probe->open(m_handshake.sid);
}

void EngineIoClient::finishUpgrade()
{
    EngineTransport *probe = m_probe;
    m_upgrading = false;
    if (!probe || m_state != State::Open)
        return;
    probe->disconnect(this);
    probe->send({ Packet::text(PacketType::Upgrade) });
    EngineTransport *old = m_transport;
    old->disconnect(this);
    old->deleteLater();
    m_probe = nullptr;
    m_transport = probe;
    connect(probe, &EngineTransport::packetsReceived, this, &EngineIoClient::handlePackets);
    connect(probe, &EngineTransport::failed, this, &EngineIoClient::handleFailure);
    probe->send(std::exchange(m_heldDuringUpgrade, {}));
    Q_EMIT transportChanged(probe->name());
}

void EngineIoClient::send(const Packet &packet)
{
    if (m_state != State::Open || !m_transport)
        return;
    if (m_upgrading) {
        m_heldDuringUpgrade.append(packet);
        return;
    }
    m_transport->send({ packet });
}

void EngineIoClient::sendText(const QByteArray &message)
{
    send(Packet::text(PacketType::Message, message));
}

void EngineIoClient::sendBinary(const QByteArray &bytes)
{
    send(Packet::binary(bytes));
}

void EngineIoClient::close()
{
    shutdown(QStringLiteral("client close"), 0);
}

void EngineIoClient::shutdown(const QString &reason, int httpStatus, int retryAfterMs)
{
    if (m_state == State::Closed)
        return;
    m_watchdog.stop();
    m_upgrading = false;
    m_heldDuringUpgrade.clear();
    for (EngineTransport *transport : { m_transport.data(), m_probe.data() }) {
        if (!transport)
            continue;
        transport->disconnect(this);
        transport->close();
        transport->deleteLater();
    }
    m_transport = nullptr;
    m_probe = nullptr;
    setState(State::Closed);
    Q_EMIT closed(reason, httpStatus, retryAfterMs);
}

} // namespace Confab::Client
