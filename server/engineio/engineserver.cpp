#include "engineserver.h"

#include "ops/metrics.h"
#include "transport/httpconnection.h"
#include "util/ids.h"

#include "websocket/channel.h"
#include "websocket/handshake.h"
#include "websocket/iopool.h"

#include <QTcpSocket>

namespace Confab::EngineIo {

using Transport::HttpConnection;
using Transport::HttpRequest;
using Transport::HttpResponse;

EngineServer::EngineServer(const EngineOptions &options, WebSocket::IoPool *ioPool, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_ioPool(ioPool)
{
    m_options.allowWebSocket = m_options.allowWebSocket && ioPool; // nor offered as an upgrade
}

EngineServer::~EngineServer()
{
    // Sessions own channels into the pool: they go before it does.
    qDeleteAll(m_sessions);
    m_sessions.clear();
}

void EngineServer::setReadingPaused(bool paused)
{
    if (m_readingPaused == paused)
        return;
    m_readingPaused = paused;
    if (m_ioPool)
        m_ioPool->setReadingPaused(paused);
}

void EngineServer::setMetrics(Ops::Metrics *metrics)
{
    m_metrics = metrics;
    if (!metrics)
        return;
    metrics->describe("confab_engine_sessions", Ops::Metrics::Gauge, "Open Engine.IO sessions by transport");
    metrics->addGaugeSource("confab_engine_sessions", [this] {
        return QList<std::pair<QByteArray, double>> {
            { "transport=\"polling\"", double(sessionCount(EngineSession::TransportKind::Polling)) },
            { "transport=\"websocket\"", double(sessionCount(EngineSession::TransportKind::WebSocket)) },
        };
    });
    metrics->describe("confab_engine_handshakes_total", Ops::Metrics::Counter, "Engine.IO sessions opened");
    metrics->describe("confab_engine_upgrades_total", Ops::Metrics::Counter, "Sessions upgraded to WebSocket");
    metrics->describe("confab_engine_errors_total", Ops::Metrics::Counter, "Engine.IO requests refused, by code");
    metrics->describe("confab_engine_closes_total", Ops::Metrics::Counter, "Sessions closed, by reason");
    metrics->describe("confab_engine_sessions_in_state", Ops::Metrics::Gauge,
                      "Open sessions in a passing state: upgrading to WebSocket, or closing after server:advice");
    metrics->addGaugeSource("confab_engine_sessions_in_state", [this] {
        double upgrading = 0, closing = 0;
        for (const EngineSession *session : std::as_const(m_sessions)) {
            upgrading += session->isUpgrading();
            closing += session->isClosing();
        }
        return QList<std::pair<QByteArray, double>> { { "state=\"upgrading\"", upgrading },
                                                      { "state=\"closing\"", closing } };
    });
    metrics->describe("confab_engine_refused_total", Ops::Metrics::Counter,
                      "Handshakes refused before a session opened (per-address limit), by reason");
    metrics->describe("confab_reading_paused", Ops::Metrics::Gauge,
                      "1 while reading from clients is paused (the store is behind)");
    metrics->addGaugeSource("confab_reading_paused", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, m_readingPaused ? 1.0 : 0.0 } };
    });
}

qsizetype EngineServer::sessionCount(EngineSession::TransportKind transport) const
{
    qsizetype count = 0;
    for (const EngineSession *session : m_sessions)
        count += session->transport() == transport ? 1 : 0;
    return count;
}

void EngineServer::closeAll(const QString &reason)
{
    const QList<EngineSession *> sessions = m_sessions.values();
    for (EngineSession *session : sessions)
        session->close(reason);
}

QList<std::pair<QByteArray, QByteArray>> EngineServer::corsHeaders(const HttpRequest &request) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || m_options.corsOrigins.isEmpty())
        return {};
    const bool allowed = m_options.corsOrigins.contains(QStringLiteral("*"))
        || m_options.corsOrigins.contains(QString::fromUtf8(origin));
    if (!allowed)
        return {};
    return { { "Access-Control-Allow-Origin", origin },
             { "Access-Control-Allow-Credentials", "true" },
             { "Vary", "Origin" } };
}

EngineServer::Check EngineServer::check(const HttpRequest &request, bool isUpgrade) const
{
    if (request.queryItem(QStringLiteral("EIO")) != QLatin1String("4"))
        return { ErrorCode::UnsupportedProtocolVersion };
    const QString transport = request.queryItem(QStringLiteral("transport"));
    const bool isPolling = transport == QLatin1String("polling");
    const bool isWebSocket = transport == QLatin1String("websocket");
    if ((!isPolling || !m_options.allowPolling) && (!isWebSocket || !m_options.allowWebSocket))
        return { ErrorCode::UnknownTransport };
    if (isUpgrade != isWebSocket)
        return { ErrorCode::BadRequest };
    const QString sid = request.queryItem(QStringLiteral("sid"));
    if (sid.isEmpty()) {
        if (isPolling && request.method != "GET")
            return { ErrorCode::BadHandshakeMethod };
        return {};
    }
    EngineSession *session = m_sessions.value(sid.toLatin1());
    if (!session || !session->isOpen())
        return { ErrorCode::UnknownSid };
    if (isPolling && session->transport() != EngineSession::TransportKind::Polling)
        return { ErrorCode::BadRequest, session };
    if (isWebSocket
        && (session->transport() != EngineSession::TransportKind::Polling || session->isUpgrading()
            || !m_options.allowUpgrades))
        return { ErrorCode::BadRequest, session };
    return { std::nullopt, session };
}

void EngineServer::refuse(HttpConnection *connection, const HttpRequest &request, ErrorCode code)
{
    static const char *const messages[] = { "Transport unknown", "Session ID unknown", "Bad handshake method",
                                            "Bad request",       "Forbidden",          "Unsupported protocol version" };
    HttpResponse response = HttpResponse::json(code == ErrorCode::Forbidden ? 403 : 400,
                                               { { QStringLiteral("code"), int(code) },
                                                 { QStringLiteral("message"), QLatin1String(messages[int(code)]) } });
    response.headers.append(corsHeaders(request));
    if (m_metrics)
        m_metrics->increment("confab_engine_errors_total", "code=\"" + QByteArray::number(int(code)) + '"');
    connection->respond(response);
}

void EngineServer::handleRequest(HttpConnection *connection, const HttpRequest &request)
{
    if (request.method == "OPTIONS") {
        HttpResponse preflight;
        preflight.status = 204;
        preflight.headers = corsHeaders(request);
        if (!preflight.headers.isEmpty()) {
            preflight.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            preflight.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization");
            preflight.setHeader("Access-Control-Max-Age", "600");
        }
        connection->respond(preflight);
        return;
    }
    const Check result = check(request, false);
    if (result.error) {
        refuse(connection, request, *result.error);
        return;
    }
    const auto cors = corsHeaders(request);
    if (result.session) {
        if (request.method == "GET")
            result.session->handlePoll(connection, cors);
        else if (request.method == "POST")
            result.session->handlePost(connection, request, cors);
        else
            refuse(connection, request, ErrorCode::BadRequest);
        return;
    }
    if (auto refusal = admit(request)) {
        refusal->headers.append(cors);
        connection->respond(*refusal);
        return;
    }
    EngineSession *session = createSession(request);
    session->startWithPolling(connection, cors);
    Q_EMIT sessionOpened(session);
}

void EngineServer::handleUpgrade(HttpConnection *connection, const HttpRequest &request)
{
    const Check result = check(request, true);
    // Like the reference server, a WebSocket naming a gone or already upgraded session
    // is accepted and then closed: clients see a close, not an error.
    const bool closesAfterAccept
        = result.error == ErrorCode::UnknownSid || (result.error == ErrorCode::BadRequest && result.session);
    if (result.error && !closesAfterAccept) {
        refuse(connection, request, *result.error);
        return;
    }
    if (!result.session && !closesAfterAccept) {
        if (auto refusal = admit(request)) {
            connection->respond(*refusal);
            return;
        }
    }
    auto accepted = WebSocket::acceptUpgrade(request);
    if (auto *refusal = std::get_if<HttpResponse>(&accepted)) {
        connection->respond(*refusal);
        return;
    }
    WebSocket::Channel *channel = m_ioPool->adopt(connection->takeSocketForUpgrade(), std::get<QByteArray>(accepted));
    if (!channel)
        return;
    if (closesAfterAccept) {
        channel->close();
        delete channel; // closed gracefully: the worker still sends the close frame
        return;
    }
    if (result.session) {
        result.session->probeWebSocket(channel);
        return;
    }
    EngineSession *session = createSession(request);
    session->startWithWebSocket(channel);
    Q_EMIT sessionOpened(session);
}

std::optional<HttpResponse> EngineServer::admit(const HttpRequest &request) const
{
    if (m_options.maxSessionsPerAddress > 0
        && m_sessionsPerAddress.value(request.peerAddress) >= m_options.maxSessionsPerAddress) {
        if (m_metrics)
            m_metrics->increment("confab_engine_refused_total", "reason=\"sessions_per_address\"");
        HttpResponse refusal = HttpResponse::text(429, "too many sessions from this address\n");
        refusal.setHeader("Retry-After", "10");
        return refusal;
    }
    return m_options.admission ? m_options.admission(request) : std::nullopt;
}

EngineSession *EngineServer::createSession(const HttpRequest &request)
{
    const QByteArray sid = m_options.sidPrefix + randomId();
    auto *session = new EngineSession(sid, m_options, this, this);
    session->setPeerAddress(request.peerAddress);
    m_sessions.insert(sid, session);
    ++m_sessionsPerAddress[request.peerAddress];
    if (m_metrics) {
        const bool isWebSocket = request.queryItem(QStringLiteral("transport")) == QLatin1String("websocket");
        m_metrics->increment("confab_engine_handshakes_total",
                             isWebSocket ? "transport=\"websocket\"" : "transport=\"polling\"");
    }
    return session;
}

void EngineServer::sessionUpgraded(EngineSession *session)
{
    Q_UNUSED(session);
    if (m_metrics)
        m_metrics->increment("confab_engine_upgrades_total");
}

void EngineServer::sessionClosed(EngineSession *session, const QString &reason)
{
    m_sessions.remove(session->id());
    if (--m_sessionsPerAddress[session->peerAddress()] <= 0)
        m_sessionsPerAddress.remove(session->peerAddress());
    if (m_metrics)
        m_metrics->increment("confab_engine_closes_total", "reason=\"" + reason.toUtf8() + '"');
    session->deleteLater();
}

} // namespace Confab::EngineIo
