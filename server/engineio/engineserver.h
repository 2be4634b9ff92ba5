// An Engine.IO v4 endpoint: validates requests, opens sessions over long-polling or
// WebSocket, routes later requests to their session, and answers the spec's errors.
#pragma once

#include "engineoptions.h"
#include "enginesession.h"
#include "transport/httphandler.h"

#include <QHash>
#include <QObject>

namespace Confab::Ops {
class Metrics;
}

namespace Confab::WebSocket {
class IoPool;
}

namespace Confab::EngineIo {

class EngineServer : public QObject, public Transport::HttpHandler, private SessionOwner
{
    Q_OBJECT
public:
    // WebSocket connections are handed to `ioPool` (the caller's; it outlives this
    // server). Without one, only long-polling is served.
    EngineServer(const EngineOptions &options, WebSocket::IoPool *ioPool, QObject *parent = nullptr);
    ~EngineServer() override;

    const EngineOptions &options() const { return m_options; }
    void setMetrics(Ops::Metrics *metrics);
    qsizetype sessionCount() const { return m_sessions.size(); }
    qsizetype sessionCount(EngineSession::TransportKind transport) const;
    // Stops reading WebSocket connections (the node is behind); writes go on.
    void setReadingPaused(bool paused);
    bool isReadingPaused() const { return m_readingPaused; }
    // Closes every session (shutdown).
    void closeAll(const QString &reason);

    void handleRequest(Transport::HttpConnection *connection, const Transport::HttpRequest &request) override;
    void handleUpgrade(Transport::HttpConnection *connection, const Transport::HttpRequest &request) override;

Q_SIGNALS:
    void sessionOpened(Confab::EngineIo::EngineSession *session);

private:
    enum class ErrorCode {
        UnknownTransport = 0,
        UnknownSid = 1,
        BadHandshakeMethod = 2,
        BadRequest = 3,
        Forbidden = 4,
        UnsupportedProtocolVersion = 5
    };
    struct Check
    {
        std::optional<ErrorCode> error;
        EngineSession *session = nullptr;
    };
    Check check(const Transport::HttpRequest &request, bool isUpgrade) const;
    QList<std::pair<QByteArray, QByteArray>> corsHeaders(const Transport::HttpRequest &request) const;
    void refuse(Transport::HttpConnection *connection, const Transport::HttpRequest &request, ErrorCode code);
    EngineSession *createSession(const Transport::HttpRequest &request);
    void sessionUpgraded(EngineSession *session) override;
    void sessionClosed(EngineSession *session, const QString &reason) override;
    // A refusal when the handshake must not open a session (per-address limit, admission hook).
    std::optional<Transport::HttpResponse> admit(const Transport::HttpRequest &request) const;

    EngineOptions m_options;
    WebSocket::IoPool *m_ioPool; // the threads serving WebSocket connections; not ours
    bool m_readingPaused = false;
    QHash<QByteArray, EngineSession *> m_sessions;
    QHash<QHostAddress, int> m_sessionsPerAddress;
    Ops::Metrics *m_metrics = nullptr;
};

} // namespace Confab::EngineIo
