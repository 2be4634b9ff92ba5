// The server's half of the WebSocket opening handshake (RFC 6455 section 4.2).
#pragma once

#include "transport/httprequest.h"
#include "transport/httpresponse.h"

#include <variant>

namespace Confab::WebSocket {

// The 101 Switching Protocols head accepting `request`, or the refusal to send instead
// (400 for a missing or malformed key, 426 for another protocol version).
std::variant<QByteArray, Transport::HttpResponse> acceptUpgrade(const Transport::HttpRequest &request);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
QByteArray acceptKey(const QByteArray &key);

} // namespace Confab::WebSocket
