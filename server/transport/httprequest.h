// An HTTP/1.1 request as the listener hands it to handlers, and the pure parser of
// its head (request line + headers). See docs/ARCHITECTURE.md.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QUrlQuery>

#include <optional>
#include <utility>

namespace Confab::Transport {

struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray path; // percent-decoded target without the query
    QUrlQuery query;
    int minorVersion = 1;                             // HTTP/1.<minorVersion>
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QHostAddress peerAddress;
    bool isSecure = false;

    QByteArray header(QByteArrayView lowerCaseName) const;
    bool hasHeaderToken(QByteArrayView lowerCaseName, QByteArrayView token) const;
    QString queryItem(const QString &key) const { return query.queryItemValue(key, QUrl::FullyDecoded); }
    bool wantsKeepAlive() const;
    bool isWebSocketUpgrade() const;
    qint64 contentLength() const; // -1 when absent, -2 when malformed
};

// Proxies (address, prefix length) whose X-Forwarded-For is believed.
using TrustedProxies = QList<std::pair<QHostAddress, int>>;

// The client's address: the peer, or, when the peer is a trusted proxy, the last
// address that proxy appended to X-Forwarded-For (earlier entries are the client's
// own claims and are ignored).
QHostAddress clientAddress(const QHostAddress &peer, QByteArrayView forwardedFor, const TrustedProxies &trusted);

enum class HttpParseError {
    None,
    BadRequestLine,
    BadHeader,
    UnsupportedVersion,
};

struct HttpHeadResult
{
    std::optional<HttpRequest> request;
    HttpParseError error = HttpParseError::None;
};

// Parses a request head that ends in CRLF CRLF (the terminator may be omitted).
HttpHeadResult parseRequestHead(QByteArrayView head);

} // namespace Confab::Transport
