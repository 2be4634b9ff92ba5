#include "websocket/handshake.h"

#include <QCryptographicHash>

namespace Confab::WebSocket {

QByteArray acceptKey(const QByteArray &key)
{
    static constexpr QByteArrayView Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(Guid);
    return sha1.result().toBase64();
}

std::variant<QByteArray, Transport::HttpResponse> acceptUpgrade(const Transport::HttpRequest &request)
{
    if (request.header("sec-websocket-version").trimmed() != "13") {
        Transport::HttpResponse refusal = Transport::HttpResponse::text(426, "WebSocket version 13 required\n");
        refusal.setHeader("Sec-WebSocket-Version", "13");
        return refusal;
    }
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return Transport::HttpResponse::text(400, "missing or malformed Sec-WebSocket-Key\n");
    return QByteArray("HTTP/1.1 101 Switching Protocols\r\n"
                      "Upgrade: websocket\r\n"
                      "Connection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: ")
        + acceptKey(key) + "\r\n\r\n";
}

} // namespace Confab::WebSocket
