// Settings of one Engine.IO endpoint.
#pragma once

#include "transport/httprequest.h"
#include "transport/httpresponse.h"

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <optional>

namespace Confab::EngineIo {

struct EngineOptions
{
    QByteArray path = "/socket.io/";
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    qint64 maxPayload = 1000000;
    // Bytes one session may have waiting to be written (a poll's queue, a WebSocket's
    // socket buffer). Past half of it the session drops volatile events (typing,
    // presence); past all of it the session is closed as a slow consumer.
    qint64 outboundBudgetBytes = 2 * 1024 * 1024;
    bool allowPolling = true;
    bool allowWebSocket = true;
    bool allowUpgrades = true;
    // Origins allowed to make cross-origin requests; "*" allows any. Empty: no CORS.
    QStringList corsOrigins;
    // Starts every session id ("n1." + random): a load balancer routes a long-polling
    // request to the node that holds its session by this prefix, no cookies needed.
    QByteArray sidPrefix;
    // Open sessions one client address may hold (0: no limit); more get 429.
    int maxSessionsPerAddress = 0;
    Transport::TrustedProxies trustedProxies; // for the addresses of WebSocket sessions
    // Asked before a new session is opened; a response refuses the handshake (for
    // example 503 + Retry-After when the node is overloaded).
    std::function<std::optional<Transport::HttpResponse>(const Transport::HttpRequest &)> admission;
};

} // namespace Confab::EngineIo
