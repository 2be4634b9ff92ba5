#include "pollingtransport.h"

#include <QNetworkReply>

namespace Confab::Client {

using EngineIo::Packet;

PollingTransport::PollingTransport(const TransportOptions &options, QObject *parent)
    : EngineTransport(parent)
    , m_options(options)
{
}

PollingTransport::~PollingTransport()
{
    for (QNetworkReply *reply : { m_poll.data(), m_post.data() }) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
        }
    }
}

QNetworkRequest PollingTransport::request() const
{
    QNetworkRequest request(endpoint(m_options, name(), m_sid));
    request.setSslConfiguration(m_options.ssl);
    request.setTransferTimeout(m_options.requestTimeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("text/plain;charset=UTF-8"));
    return request;
}

void PollingTransport::open(const QByteArray &sid)
{
    m_sid = sid;
    Q_EMIT opened();
    poll();
}

void PollingTransport::poll()
{
    if (m_closing || m_poll)
        return;
    if (m_paused) {
        auto paused = std::exchange(m_paused, {});
        paused();
        return;
    }
    m_poll = m_network.get(request());
    connect(m_poll, &QNetworkReply::finished, this, [this, reply = m_poll.data()] {
        reply->deleteLater();
        m_poll = nullptr;
        if (m_closing)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            // An overloaded server answers 503 with Retry-After (seconds).
            const int retryAfterMs = reply->rawHeader("Retry-After").toInt() * 1000;
            return Q_EMIT failed(QStringLiteral("poll failed: %1").arg(reply->errorString()), status, retryAfterMs);
        }
        const auto packets = EngineIo::decodePayload(reply->readAll());
        if (!packets)
            return Q_EMIT failed(QStringLiteral("malformed payload from server"), status);
        Q_EMIT packetsReceived(*packets);
        poll();
    });
}

void PollingTransport::send(const QList<Packet> &packets)
{
    m_outbox.append(packets);
    flush();
}

void PollingTransport::flush()
{
    if (m_closing || m_post || m_outbox.isEmpty() || m_sid.isEmpty())
        return;
    // Everything queued goes in one POST; the next waits for its answer.
    m_post = m_network.post(request(), EngineIo::encodePayload(std::exchange(m_outbox, {})));
    connect(m_post, &QNetworkReply::finished, this, [this, reply = m_post.data()] {
        reply->deleteLater();
        m_post = nullptr;
        if (m_closing)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200)
            return Q_EMIT failed(QStringLiteral("post failed: %1").arg(reply->errorString()), status);
        flush();
    });
}

void PollingTransport::pause(std::function<void()> paused)
{
    m_paused = std::move(paused);
    if (!m_poll)
        poll();
}

void PollingTransport::close()
{
    if (m_closing)
        return;
    if (!m_sid.isEmpty()) {
        // Tell the server, best effort; the reply is not awaited.
        QNetworkReply *reply
            = m_network.post(request(), EngineIo::encodePayload({ Packet::text(EngineIo::PacketType::Close) }));
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    m_closing = true;
    if (m_poll)
        m_poll->abort();
}

} // namespace Confab::Client
