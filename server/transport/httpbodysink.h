// A request body taken as it arrives instead of in memory: an upload of many megabytes
// goes to disk piece by piece. A handler offers one for a request head (HttpHandler::
// planBody); the connection feeds it and, once the body is complete, lets it answer.
#pragma once

#include "transport/httprequest.h"
#include "transport/httpresponse.h"

#include <memory>
#include <optional>

namespace Confab::Transport {

class HttpConnection;

class HttpBodySink
{
public:
    // A body that was not finished (the client went away, a deadline passed, the sink
    // refused a piece) is discarded here: nothing of it may remain.
    virtual ~HttpBodySink() = default;
    // The next piece of the body. An answer stops the upload with it; the connection is
    // closed after it, since the rest of the body is not read.
    virtual std::optional<HttpResponse> write(QByteArrayView piece) = 0;
    // The whole body arrived: answer with connection->respond(), now or later. The sink
    // lives until the answer is written or the connection closes.
    virtual void finish(HttpConnection *connection, const HttpRequest &request) = 0;
};

// What a handler wants done with a request's body, decided from its head.
struct HttpBodyPlan
{
    std::unique_ptr<HttpBodySink> sink;  // stream the body into this
    std::optional<HttpResponse> refusal; // answer this at once, without reading the body
};

} // namespace Confab::Transport
