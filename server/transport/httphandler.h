// What the listener routes requests to.
#pragma once

#include "transport/httprequest.h"

namespace Confab::Transport {

class HttpConnection;

class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    // Answer now or later with connection->respond(); hold the connection at most
    // until its closed() signal.
    virtual void handleRequest(HttpConnection *connection, const HttpRequest &request) = 0;
    // A WebSocket upgrade: take the socket with takeSocketForUpgrade(), or refuse
    // with respond(). The default refuses.
    virtual void handleUpgrade(HttpConnection *connection, const HttpRequest &request);
};

} // namespace Confab::Transport
