#include "transport/httprequest.h"

#include <QUrl>

namespace Confab::Transport {

namespace {

bool isTokenChar(char c)
{
    // RFC 9110 tchar.
    static constexpr QByteArrayView extra = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || extra.contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool hasControlCharacters(QByteArrayView text)
{
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return true;
    }
    return false;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

bool HttpRequest::hasHeaderToken(QByteArrayView lowerCaseName, QByteArrayView token) const
{
    for (const auto &[name, value] : headers) {
        if (name != lowerCaseName)
            continue;
        for (const QByteArray &part : value.split(',')) {
            if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

bool HttpRequest::wantsKeepAlive() const
{
    if (hasHeaderToken("connection", "close"))
        return false;
    return minorVersion >= 1 || hasHeaderToken("connection", "keep-alive");
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return method == "GET" && hasHeaderToken("connection", "upgrade") && hasHeaderToken("upgrade", "websocket");
}

qint64 HttpRequest::contentLength() const
{
    const QByteArray value = header("content-length");
    if (value.isNull())
        return -1;
    bool ok = false;
    const qint64 length = value.toLongLong(&ok);
    return ok && length >= 0 ? length : -2;
}

HttpHeadResult parseRequestHead(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < head.size()) {
        qsizetype end = head.indexOf("\r\n", start);
        if (end < 0)
            end = head.size();
        lines.append(head.sliced(start, end - start));
        start = end + 2;
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return { std::nullopt, HttpParseError::BadRequestLine };

    // Request line: METHOD SP request-target SP HTTP/1.x
    const QByteArrayView requestLine = lines.first();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        return { std::nullopt, HttpParseError::BadRequestLine };
    HttpRequest request;
    request.method = requestLine.first(firstSpace).toByteArray();
    request.target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1).toByteArray();
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!isToken(request.method) || !request.target.startsWith('/') || request.target.contains(' ')
        || hasControlCharacters(request.target))
        return { std::nullopt, HttpParseError::BadRequestLine };
    if (version == "HTTP/1.1")
        request.minorVersion = 1;
    else if (version == "HTTP/1.0")
        request.minorVersion = 0;
    else
        return { std::nullopt, HttpParseError::UnsupportedVersion };

    const qsizetype question = request.target.indexOf('?');
    const QByteArray rawPath = question < 0 ? request.target : request.target.first(question);
    request.path = QByteArray::fromPercentEncoding(rawPath);
    if (question >= 0)
        request.query.setQuery(QString::fromUtf8(request.target.sliced(question + 1)));

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return { std::nullopt, HttpParseError::BadHeader };
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (hasControlCharacters(value))
            return { std::nullopt, HttpParseError::BadHeader };
        request.headers.append({ line.first(colon).toByteArray().toLower(), value.toByteArray() });
    }
    return { std::move(request), HttpParseError::None };
}

QHostAddress clientAddress(const QHostAddress &peer, QByteArrayView forwardedFor, const TrustedProxies &trusted)
{
    if (forwardedFor.isEmpty() || trusted.isEmpty())
        return peer;
    bool isTrusted = false;
    bool isV4 = false;
    const QHostAddress normalized(peer.toIPv4Address(&isV4));
    const QHostAddress &candidate = isV4 ? normalized : peer;
    for (const auto &subnet : trusted)
        isTrusted = isTrusted || candidate.isInSubnet(subnet);
    if (!isTrusted)
        return peer;
    const QByteArrayView last = forwardedFor.sliced(forwardedFor.lastIndexOf(',') + 1).trimmed();
    const QHostAddress forwarded(QString::fromLatin1(last));
    return forwarded.isNull() ? peer : forwarded;
}

} // namespace Confab::Transport
