// What the listener routes requests to.
#pragma once

#include "transport/httpbodysink.h"
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
    // Called with a request's head before its body is read. The default (an empty plan)
    // reads the body into memory within the connection's limit and calls handleRequest;
    // a sink takes a body of any size as it arrives; a refusal answers without reading it.
    virtual HttpBodyPlan planBody(const HttpRequest &head)
    {
        Q_UNUSED(head);
        return {};
    }
};

} // namespace Confab::Transport
