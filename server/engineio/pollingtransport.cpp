#include "engineio/pollingtransport.h"

#include "transport/httpconnection.h"

namespace Confab::EngineIo {

using Transport::HttpConnection;
using Transport::HttpResponse;

namespace {

// Engine.IO error 3, which also ends the session.
HttpResponse badRequest(const CorsHeaders &cors)
{
    HttpResponse response = HttpResponse::json(400,
                                               { { QStringLiteral("code"), 3 },
                                                 { QStringLiteral("message"), QStringLiteral("Bad request") } });
    response.headers.append(cors);
    return response;
}

QByteArray controlPayload(PacketType type)
{
    return QByteArray(1, char(type));
}

} // namespace

PollingTransport::PollingTransport(const EngineOptions &options, TransportListener *listener)
    : SessionTransport(listener)
    , m_options(options)
{
}

void PollingTransport::open(HttpConnection *connection, const CorsHeaders &cors, const OutboundPacket &openPacket)
{
    HttpResponse response = HttpResponse::text(200, openPacket.pollingRecord());
    response.headers.append(cors);
    connection->respond(response);
}

void PollingTransport::send(const OutboundPacket &packet)
{
    if (m_ended)
        return;
    packet.pollingRecord(); // built in the caller's packet, so the other recipients share it
    m_queue.append(packet);
    m_queueBytes += packet.data().size() + 2;
    // Packets queued in one event-loop pass leave in one poll answer.
    if (m_pendingPoll)
        scheduleFlush();
}

QList<OutboundPacket> PollingTransport::takeQueue()
{
    m_queueBytes = 0;
    return std::exchange(m_queue, {});
}

QByteArray PollingTransport::takePayload()
{
    const QList<OutboundPacket> packets = takeQueue();
    if (packets.size() == 1)
        return packets.first().pollingRecord(); // shared, not copied
    qsizetype size = packets.size();
    for (const OutboundPacket &packet : packets)
        size += packet.pollingRecord().size();
    QByteArray payload;
    payload.reserve(size);
    for (const OutboundPacket &packet : packets) {
        if (!payload.isEmpty())
            payload.append(RecordSeparator);
        payload.append(packet.pollingRecord());
    }
    return payload;
}

void PollingTransport::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // Queued behind the events already posted, so the rest of the pass joins the answer.
    QMetaObject::invokeMethod(
        &m_context,
        [this] {
            m_flushScheduled = false;
            flush();
        },
        Qt::QueuedConnection);
}

void PollingTransport::flush()
{
    if (m_pendingPoll && !m_queue.isEmpty())
        answerPoll(takePayload());
}

void PollingTransport::answerPoll(const QByteArray &payload)
{
    HttpConnection *connection = std::exchange(m_pendingPoll, nullptr);
    if (!connection)
        return;
    connection->disconnect(&m_context);
    HttpResponse response = HttpResponse::text(200, payload);
    response.headers.append(m_pendingPollCors);
    connection->respond(response);
}

void PollingTransport::handlePoll(HttpConnection *connection, const CorsHeaders &cors)
{
    if (m_pendingPoll) {
        // Two polls at once break the protocol: refuse this one and end the session.
        connection->respond(badRequest(cors));
        reportFailed(QStringLiteral("duplicate poll"));
        return;
    }
    m_pendingPoll = connection;
    m_pendingPollCors = cors;
    if (m_closing)
        return answerClosingPoll();
    QObject::connect(connection, &HttpConnection::closed, &m_context, [this] {
        m_pendingPoll = nullptr;
        reportLost();
    });
    if (!m_queue.isEmpty())
        scheduleFlush();
    else if (m_upgrading)
        answerPoll(controlPayload(PacketType::Noop));
}

void PollingTransport::handlePost(HttpConnection *connection, const Transport::HttpRequest &request,
                                  const CorsHeaders &cors)
{
    auto packets = decodePayload(request.body);
    if (!packets || request.body.size() > m_options.maxPayload) {
        connection->respond(badRequest(cors));
        reportFailed(QStringLiteral("parse error"));
        return;
    }
    HttpResponse ok = HttpResponse::text(200, "ok");
    ok.headers.append(cors);
    connection->respond(ok);
    for (const Packet &packet : std::as_const(*packets)) {
        if (m_ended || isDetached())
            break;
        reportPacket(packet);
    }
}

void PollingTransport::setUpgrading(bool upgrading)
{
    m_upgrading = upgrading;
    if (upgrading && m_pendingPoll && m_queue.isEmpty())
        answerPoll(controlPayload(PacketType::Noop));
}

void PollingTransport::closeAfterFlush()
{
    m_closing = true;
    if (m_pendingPoll)
        answerClosingPoll();
}

void PollingTransport::answerClosingPoll()
{
    // What is queued goes in this answer and the close in the next one, as the stock
    // engine.io server does: socket.io-client dispatches events one tick late, and an
    // event that shares a payload with the close would arrive on a socket already closed.
    if (!m_queue.isEmpty())
        return answerPoll(takePayload());
    answerPoll(controlPayload(PacketType::Close));
    reportDrained();
}

void PollingTransport::shutdown(bool announce)
{
    m_ended = true;
    if (m_pendingPoll)
        answerPoll(controlPayload(announce ? PacketType::Close : PacketType::Noop));
}

} // namespace Confab::EngineIo
