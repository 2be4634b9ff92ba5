// An HTTP response a handler gives back to the listener.
#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QJsonObject>
#include <QList>

#include <memory>
#include <utility>

namespace Confab::Transport {

struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // A large body (a file) sent from this device, positioned where the body starts,
    // bodyLength bytes of it, a piece at a time as the client takes them; body is unused.
    std::shared_ptr<QIODevice> bodyDevice {};
    qint64 bodyLength = 0;

    HttpResponse &setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;

    static HttpResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = "text/plain; charset=UTF-8");
    static HttpResponse json(int status, const QJsonObject &body);
    static QByteArray reasonPhrase(int status);
};

} // namespace Confab::Transport
