#include "realtime/client.h"

#include "ops/metrics.h"
#include "realtime/server.h"
#include "realtime/socket.h"

#include <QTimerEvent>

namespace Confab::Realtime {

using SocketIo::Packet;
using SocketIo::PacketType;

Client::Client(EngineIo::Session *session, Server *server)
    : QObject(session)
    , m_session(session)
    , m_server(server)
    , m_assembler(server->options().maxAttachments)
{
    connect(session, &EngineIo::Session::textReceived, this, &Client::handleText);
    connect(session, &EngineIo::Session::binaryReceived, this, &Client::handleBinary);
    connect(session, &EngineIo::Session::closed, this, &Client::handleSessionClosed);
    m_connectTimer.start(server->options().connectTimeoutMs, this);
}

Client::~Client()
{
    if (m_server)
        m_server->removeClient(this);
}

void Client::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_connectTimer.timerId())
        return QObject::timerEvent(event);
    m_connectTimer.stop();
    if (m_sockets.isEmpty())
        close(QStringLiteral("connect timeout"));
}

void Client::sendPacket(const Packet &packet)
{
    QList<EngineIo::OutboundPacket> attachments;
    attachments.reserve(packet.attachments.size());
    for (const QByteArray &attachment : packet.attachments)
        attachments.append(EngineIo::OutboundPacket::binary(attachment));
    sendEncoded(EngineIo::OutboundPacket::message(SocketIo::encodePacket(packet)), attachments);
}

bool Client::sendEncoded(const EngineIo::OutboundPacket &header, const QList<EngineIo::OutboundPacket> &attachments,
                         bool isVolatile)
{
    const bool sent = deliverEncoded(header, attachments, isVolatile);
    if (sent)
        countSent(m_server->metrics(), 1);
    return sent;
}

void Client::countSent(Ops::Metrics *metrics, qsizetype packets)
{
    if (metrics && packets > 0)
        metrics->increment("confab_socketio_packets_total", "direction=\"out\"", double(packets));
}

bool Client::deliverEncoded(const EngineIo::OutboundPacket &header, const QList<EngineIo::OutboundPacket> &attachments,
                            bool isVolatile)
{
    if (!m_session->isOpen())
        return false;
    Ops::Metrics *metrics = m_server->metrics();
    qint64 size = header.data().size();
    for (const EngineIo::OutboundPacket &attachment : attachments)
        size += attachment.data().size();
    const qint64 queued = m_session->queuedBytes();
    const qint64 budget = m_session->outboundBudget();
    if (budget > 0 && isVolatile && queued + size > budget / 2) {
        if (metrics)
            metrics->increment("confab_outbound_dropped_total", "reason=\"volatile\"");
        return false;
    }
    if (budget > 0 && queued + size > budget) {
        // It cannot keep up: its transport goes, and its client resyncs from the store.
        if (metrics)
            metrics->increment("confab_slow_consumers_total");
        m_session->close(QStringLiteral("slow consumer"));
        return false;
    }
    m_session->send(header);
    for (const EngineIo::OutboundPacket &attachment : attachments)
        m_session->send(attachment);
    return true;
}

void Client::close(const QString &reason)
{
    m_session->close(reason);
}

bool Client::isOpen() const
{
    return m_session->isOpen();
}

void Client::advise(int reconnectAfterMs, const QString &reason)
{
    if (m_advised)
        return;
    m_advised = true;
    const QJsonObject advice { { QStringLiteral("reconnectAfterMs"), reconnectAfterMs },
                               { QStringLiteral("reason"), reason } };
    for (const Socket *socket : std::as_const(m_sockets))
        sendPacket(SocketIo::eventPacket(QStringLiteral("server:advice"), { advice }, {}, socket->nsp()->name()));
    m_session->closeAfterFlush(QStringLiteral("server advice: %1").arg(reason));
}

void Client::protocolError(const char *what)
{
    if (Ops::Metrics *metrics = m_server->metrics())
        metrics->increment("confab_socketio_protocol_errors_total");
    close(QStringLiteral("parse error: %1").arg(QLatin1String(what)));
}

void Client::handleText(const QByteArray &text)
{
    if (m_assembler.isWaiting())
        return protocolError("text packet while binary attachments were expected");
    SocketIo::DecodeResult result = SocketIo::decodePacket(text);
    if (!result.packet)
        return protocolError("malformed packet");
    if (result.packet->isBinary() && !result.packet->isComplete()) {
        if (!m_assembler.start(std::move(*result.packet)))
            protocolError("too many attachments");
        return;
    }
    dispatch(*result.packet);
}

void Client::handleBinary(const QByteArray &bytes)
{
    if (!m_assembler.isWaiting())
        return protocolError("unexpected binary packet");
    if (auto packet = m_assembler.add(bytes))
        dispatch(*packet);
}

void Client::dispatch(const Packet &packet)
{
    if (Ops::Metrics *metrics = m_server->metrics())
        metrics->increment("confab_socketio_packets_total", "direction=\"in\"");
    Socket *socket = socketOf(packet.nsp);
    if (packet.type == PacketType::Connect) {
        if (socket)
            return protocolError("namespace connected twice");
        connectNamespace(packet);
        return;
    }
    if (!socket || packet.type == PacketType::ConnectError)
        return protocolError("packet for a namespace that is not connected");
    socket->handlePacket(packet);
}

void Client::connectNamespace(const Packet &packet)
{
    Namespace *nsp = m_server->find(packet.nsp);
    Packet answer;
    answer.nsp = packet.nsp;
    if (!nsp) {
        answer.type = PacketType::ConnectError;
        answer.data = QJsonObject { { QStringLiteral("message"), QStringLiteral("Invalid namespace") } };
        sendPacket(answer);
        return;
    }
    QJsonObject refusal;
    Socket *socket = nsp->admit(this, packet.data.toObject(), &refusal);
    if (!socket) {
        answer.type = PacketType::ConnectError;
        answer.data = refusal;
        sendPacket(answer);
        return;
    }
    m_connectTimer.stop();
    m_sockets.append(socket);
    answer.type = PacketType::Connect;
    answer.data = QJsonObject { { QStringLiteral("sid"), QString::fromLatin1(socket->id()) } };
    sendPacket(answer);
    Q_EMIT nsp->connected(socket);
}

void Client::removeSocket(Socket *socket)
{
    m_sockets.removeOne(socket);
}

Socket *Client::socketOf(const QString &nsp) const
{
    for (Socket *socket : m_sockets) {
        if (socket->nsp()->name() == nsp)
            return socket;
    }
    return nullptr;
}

void Client::handleSessionClosed(const QString &reason)
{
    const QList<Socket *> sockets = m_sockets;
    for (Socket *socket : sockets)
        socket->handleClosed(reason);
    m_sockets.clear();
}

} // namespace Confab::Realtime
