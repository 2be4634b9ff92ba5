#include "transport/httpconnection.h"

#include <QTcpSocket>
#include <QTimerEvent>

namespace Confab::Transport {

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpLimits &limits, bool isSecure, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_isSecure(isSecure)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        m_closing = true;
        Q_EMIT closed(this);
        deleteLater();
    });
    armDeadline(m_limits.headDeadlineMs);
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::armDeadline(int ms)
{
    m_deadline.start(ms, Qt::CoarseTimer, this);
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadline.timerId())
        return QObject::timerEvent(event);
    m_deadline.stop();
    if (m_awaitingResponse)
        return; // a long poll: the handler answers it
    if (m_request || (m_socket && m_socket->bytesAvailable() > 0))
        fail(408, "request took too long");
    else
        close();
}

void HttpConnection::readAvailable()
{
    while (m_socket && !m_awaitingResponse && !m_closing) {
        if (!m_request) {
            if (!readHead())
                return;
        }
        if (m_request && m_bodyRemaining > 0) {
            readBody();
            if (m_bodyRemaining > 0)
                return;
        }
        if (m_request)
            dispatch();
    }
}

bool HttpConnection::readHead()
{
    // Peek: the head is skipped only once it is whole.
    const QByteArray peeked = m_socket->peek(m_limits.maxHeadBytes + 4);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peeked.size() > m_limits.maxHeadBytes)
            fail(431, "request head too large");
        return false;
    }
    HttpHeadResult parsed = parseRequestHead(QByteArrayView(peeked).first(end));
    if (!parsed.request) {
        fail(parsed.error == HttpParseError::UnsupportedVersion ? 505 : 400, "malformed request");
        return false;
    }
    HttpRequest &request = *parsed.request;
    request.peerAddress
        = clientAddress(m_socket->peerAddress(), request.header("x-forwarded-for"), m_limits.trustedProxies);
    request.isSecure = m_isSecure;
    m_socket->skip(end + 4);
    if (request.isWebSocketUpgrade()) {
        // Either the socket is taken over (what follows the head is WebSocket frames),
        // or the answer is a refusal that closes it.
        m_keepAlive = false;
        m_awaitingResponse = true;
        m_deadline.stop();
        Q_EMIT upgradeRequested(this, request);
        return false;
    }
    if (!request.header("transfer-encoding").isNull()) {
        fail(501, "chunked request bodies are not supported; send Content-Length");
        return false;
    }
    const qint64 length = request.contentLength();
    if (length == -2) {
        fail(400, "bad Content-Length");
        return false;
    }
    if (length > m_limits.maxBodyBytes) {
        fail(413, "request body too large");
        return false;
    }
    m_bodyRemaining = qMax<qint64>(length, 0);
    m_keepAlive = request.wantsKeepAlive();
    if (m_bodyRemaining > 0) {
        request.body.reserve(m_bodyRemaining);
        armDeadline(m_limits.bodyDeadlineMs);
    }
    m_request = std::move(request);
    return true;
}

void HttpConnection::readBody()
{
    const QByteArray chunk = m_socket->read(m_bodyRemaining);
    m_request->body.append(chunk);
    m_bodyRemaining -= chunk.size();
}

void HttpConnection::dispatch()
{
    m_awaitingResponse = true;
    m_deadline.stop();
    HttpRequest request = std::move(*m_request);
    m_request.reset();
    Q_EMIT requestReceived(this, request);
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (!m_socket || m_closing)
        return;
    QByteArray out;
    out.reserve(256 + response.body.size());
    out.append("HTTP/1.1 ").append(QByteArray::number(response.status)).append(' ');
    out.append(HttpResponse::reasonPhrase(response.status)).append("\r\n");
    for (const auto &[name, value] : response.headers)
        out.append(name).append(": ").append(value).append("\r\n");
    out.append("Content-Length: ").append(QByteArray::number(response.body.size())).append("\r\n");
    // Nothing we serve is a page: forbid sniffing, framing, referrers and caching.
    out.append("X-Content-Type-Options: nosniff\r\n"
               "X-Frame-Options: DENY\r\n"
               "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
               "Referrer-Policy: no-referrer\r\n"
               "Cache-Control: no-store\r\n");
    if (m_isSecure)
        out.append("Strict-Transport-Security: max-age=31536000\r\n");
    out.append(m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
    out.append(response.body);
    m_socket->write(out);
    m_awaitingResponse = false;
    if (!m_keepAlive) {
        close();
        return;
    }
    armDeadline(m_limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

void HttpConnection::fail(int status, const QByteArray &message)
{
    // Without keep-alive, respond() closes the connection: nothing more is read.
    m_keepAlive = false;
    m_request.reset();
    respond(HttpResponse::text(status, message + '\n'));
}

void HttpConnection::close()
{
    if (!m_socket || m_closing)
        return;
    m_closing = true;
    m_deadline.stop();
    m_socket->disconnectFromHost(); // flushes what was written first
}

QTcpSocket *HttpConnection::takeSocketForUpgrade()
{
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    m_closing = true;
    m_deadline.stop();
    if (socket) {
        socket->disconnect(this);
        socket->setParent(nullptr);
    }
    deleteLater();
    return socket;
}

} // namespace Confab::Transport
