#include "enginetransport.h"

#include <QUrlQuery>

namespace Confab::Client {

QUrl EngineTransport::endpoint(const TransportOptions &options, const QString &transport, const QByteArray &sid)
{
    QUrl url = options.baseUrl;
    url.setPath(QString::fromUtf8(options.path));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
    query.addQueryItem(QStringLiteral("transport"), transport);
    if (!sid.isEmpty())
        query.addQueryItem(QStringLiteral("sid"), QString::fromLatin1(sid));
    url.setQuery(query);
    if (transport == QLatin1String("websocket"))
        url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

} // namespace Confab::Client
