#include "transport/listener.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace Confab::Transport {

void HttpHandler::handleUpgrade(HttpConnection *connection, const HttpRequest &)
{
    connection->respond(HttpResponse::text(400, "WebSocket not served here\n"));
}

Listener::Listener(QObject *parent)
    : QTcpServer(parent)
{
    // Qt's default backlog (50) overflows in a reconnect storm: the kernel then drops
    // SYNs, clients and the balancer's health checks wait a 1 s retransmission, and the
    // balancer marks a busy but healthy node down. The kernel caps this at somaxconn.
    setListenBacklogSize(4096);
}

Listener::~Listener() = default;

bool Listener::setTlsFiles(const QString &certificateFile, const QString &keyFile, QString *error)
{
    QFile certFile(certificateFile);
    QFile keyFileHandle(keyFile);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read TLS certificate %1: %2").arg(certificateFile, certFile.errorString());
        return false;
    }
    if (!keyFileHandle.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read TLS key %1: %2").arg(keyFile, keyFileHandle.errorString());
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFileHandle.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty() || key.isNull()) {
        *error = QStringLiteral("TLS certificate or key is not valid PEM");
        return false;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    m_tls = configuration;
    return true;
}

void Listener::addRoute(const QByteArray &pathPrefix, HttpHandler *handler)
{
    m_routes.append({ pathPrefix, handler });
}

HttpHandler *Listener::handlerFor(QByteArrayView path) const
{
    HttpHandler *best = nullptr;
    qsizetype bestLength = -1;
    for (const auto &[prefix, handler] : m_routes) {
        if (path.startsWith(prefix) && prefix.size() > bestLength) {
            best = handler;
            bestLength = prefix.size();
        }
    }
    return best;
}

void Listener::incomingConnection(qintptr socketDescriptor)
{
    QTcpSocket *socket = nullptr;
    if (isSecure()) {
        auto *sslSocket = new QSslSocket;
        if (!sslSocket->setSocketDescriptor(socketDescriptor)) {
            delete sslSocket;
            return;
        }
        sslSocket->setSslConfiguration(m_tls);
        sslSocket->startServerEncryption();
        socket = sslSocket;
    } else {
        socket = new QTcpSocket;
        if (!socket->setSocketDescriptor(socketDescriptor)) {
            delete socket;
            return;
        }
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *connection = new HttpConnection(socket, m_limits, isSecure(), this);
    ++m_openConnections;
    connect(connection, &QObject::destroyed, this, [this] { --m_openConnections; });
    connection->setBodyPlanner([this](const HttpRequest &head) {
        HttpHandler *handler = handlerFor(head.path);
        return handler ? handler->planBody(head) : HttpBodyPlan {};
    });
    connect(connection, &HttpConnection::requestReceived, this,
            [this](HttpConnection *c, const HttpRequest &r) { route(c, r, false); });
    connect(connection, &HttpConnection::upgradeRequested, this,
            [this](HttpConnection *c, const HttpRequest &r) { route(c, r, true); });
    Q_EMIT connectionAccepted();
}

void Listener::route(HttpConnection *connection, const HttpRequest &request, bool isUpgrade)
{
    HttpHandler *handler = handlerFor(request.path);
    if (!handler) {
        connection->respond(HttpResponse::text(404, "not found\n"));
        return;
    }
    if (isUpgrade)
        handler->handleUpgrade(connection, request);
    else
        handler->handleRequest(connection, request);
}

} // namespace Confab::Transport
