#include "enginetransport.h"

#include <QFile>
#include <QSslCertificate>
#include <QUrlQuery>

namespace Confab::Client {

std::optional<QSslConfiguration> sslConfigurationWithCaFile(const QString &caFile)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (caFile.isEmpty())
        return configuration;
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        return std::nullopt;
    configuration.setCaCertificates(configuration.caCertificates() + certificates);
    return configuration;
}

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
