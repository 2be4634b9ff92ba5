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
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::pumpBody);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        m_closing = true;
        Q_EMIT closed(this);
        deleteLater();
    });
    armDeadline(m_limits.headDeadlineMs);
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

// Before the socket (a child) goes: a sink discarding an upload must not outlive it.
HttpConnection::~HttpConnection() = default;

void HttpConnection::armDeadline(int ms)
{
    m_deadline.start(ms, Qt::CoarseTimer, this);
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_uploadDeadline.timerId()) {
        m_uploadDeadline.stop();
        if (m_sink && m_bodyRemaining > 0)
            fail(408, "upload took too long");
        return;
    }
    if (event->timerId() != m_deadline.timerId())
        return QObject::timerEvent(event);
    m_deadline.stop();
    if (m_awaitingResponse)
        return;                 // a long poll: the handler answers it
    if (m_discardRemaining > 0) // a refused body stopped coming
        return close();
    if (m_request || (m_socket && m_socket->bytesAvailable() > 0))
        fail(408, "request took too long");
    else
        close();
}

void HttpConnection::readAvailable()
{
    if (m_discardRemaining > 0)
        return discardBody();
    while (m_socket && !m_awaitingResponse && !m_closing) {
        if (!m_request) {
            if (!readHead())
                return;
        }
        if (m_request && m_bodyRemaining > 0) {
            m_sink ? streamBody() : readBody();
            if (m_bodyRemaining > 0 || !m_request)
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
    m_keepAlive = request.wantsKeepAlive();
    if (!planBody(request, qMax<qint64>(length, 0)))
        return false;
    if (!m_sink && length > m_limits.maxBodyBytes) {
        refuseBody(HttpResponse::text(413, "request body too large\n"), length);
        return false;
    }
    m_bodyRemaining = qMax<qint64>(length, 0);
    if (m_bodyRemaining > 0) {
        if (!m_sink)
            request.body.reserve(m_bodyRemaining);
        armDeadline(m_limits.bodyDeadlineMs);
    }
    m_request = std::move(request);
    return true;
}

bool HttpConnection::planBody(HttpRequest &request, qint64 length)
{
    if (!m_planBody)
        return true;
    HttpBodyPlan plan = m_planBody(request);
    if (plan.refusal) {
        refuseBody(*plan.refusal, length);
        return false;
    }
    m_sink = std::move(plan.sink);
    if (m_sink && length > 0)
        m_uploadDeadline.start(m_limits.uploadDeadlineMs, Qt::CoarseTimer, this);
    return true;
}

void HttpConnection::readBody()
{
    const QByteArray chunk = m_socket->read(m_bodyRemaining);
    m_request->body.append(chunk);
    m_bodyRemaining -= chunk.size();
}

// A streamed body: what has arrived goes to the sink; each piece restarts the pause deadline.
void HttpConnection::streamBody()
{
    constexpr qint64 PieceBytes = 256 * 1024;
    while (m_bodyRemaining > 0 && m_socket && m_socket->bytesAvailable() > 0) {
        const QByteArray piece = m_socket->read(std::min(m_bodyRemaining, PieceBytes));
        m_bodyRemaining -= piece.size();
        if (std::optional<HttpResponse> refusal = m_sink->write(piece)) {
            m_request.reset();
            refuseBody(*refusal, m_bodyRemaining);
            return;
        }
    }
    if (m_bodyRemaining > 0)
        armDeadline(m_limits.bodyDeadlineMs);
}

void HttpConnection::dispatch()
{
    m_awaitingResponse = true;
    m_deadline.stop();
    m_uploadDeadline.stop();
    HttpRequest request = std::move(*m_request);
    m_request.reset();
    if (m_sink)
        return m_sink->finish(this, request);
    Q_EMIT requestReceived(this, request);
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (!m_socket || m_closing)
        return;
    m_sink.reset(); // answered: the body (complete or refused) is the handler's now
    if (response.bodyDevice) {
        writeHead(response, response.bodyLength);
        m_outDevice = response.bodyDevice;
        m_outRemaining = response.bodyLength;
        return pumpBody();
    }
    writeHead(response, response.body.size());
    responseWritten();
}

void HttpConnection::writeHead(const HttpResponse &response, qint64 contentLength)
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out.append("HTTP/1.1 ").append(QByteArray::number(response.status)).append(' ');
    out.append(HttpResponse::reasonPhrase(response.status)).append("\r\n");
    for (const auto &[name, value] : response.headers)
        out.append(name).append(": ").append(value).append("\r\n");
    // A 304 has no content and may carry a length only if it is the 200's (RFC 9110 §15.4.5).
    if (response.status != 304)
        out.append("Content-Length: ").append(QByteArray::number(contentLength)).append("\r\n");
    // Nothing we serve is a page: forbid sniffing, framing, referrers, and caching unless
    // the handler allows it (files, which carry an ETag).
    out.append("X-Content-Type-Options: nosniff\r\n"
               "X-Frame-Options: DENY\r\n"
               "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
               "Referrer-Policy: no-referrer\r\n");
    if (response.header("Cache-Control").isNull())
        out.append("Cache-Control: no-store\r\n");
    if (m_isSecure)
        out.append("Strict-Transport-Security: max-age=31536000\r\n");
    out.append(m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
    if (response.bodyDevice)
        m_socket->write(out);
    else
        m_socket->write(out.append(response.body)); // one write: one segment for small answers
}

void HttpConnection::pumpBody()
{
    constexpr qint64 PieceBytes = 64 * 1024;
    constexpr qint64 BufferedBytes = 256 * 1024; // what may wait in the socket's buffer
    if (!m_outDevice || !m_socket)
        return;
    while (m_outRemaining > 0 && m_socket->bytesToWrite() < BufferedBytes) {
        const QByteArray piece = m_outDevice->read(std::min(m_outRemaining, PieceBytes));
        if (piece.isEmpty()) { // the file shrank or failed: the client sees a short body
            m_outDevice.reset();
            m_keepAlive = false;
            return close();
        }
        m_socket->write(piece);
        m_outRemaining -= piece.size();
    }
    if (m_outRemaining == 0) {
        m_outDevice.reset();
        responseWritten();
    }
}

void HttpConnection::refuseBody(const HttpResponse &response, qint64 unread)
{
    // What follows the body cannot be read as a request: the connection ends after it.
    m_keepAlive = false;
    m_request.reset();
    m_bodyRemaining = 0;
    m_uploadDeadline.stop();
    m_discardRemaining = unread <= m_limits.maxDiscardBytes ? unread : 0;
    respond(response);
}

void HttpConnection::discardBody()
{
    while (m_discardRemaining > 0 && m_socket && m_socket->bytesAvailable() > 0)
        m_discardRemaining -= m_socket->skip(m_discardRemaining);
    if (m_discardRemaining > 0)
        return armDeadline(m_limits.bodyDeadlineMs); // a client that stops sending is closed then
    close();
}

void HttpConnection::responseWritten()
{
    m_awaitingResponse = false;
    if (!m_keepAlive) {
        if (m_discardRemaining > 0)
            return discardBody();
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
