// The one listening port: HTTP/1.1 (optionally over TLS) routed by path prefix to
// handlers, WebSocket upgrades included.
#pragma once

#include "transport/httpconnection.h"
#include "transport/httphandler.h"

#include <QList>
#include <QSslConfiguration>
#include <QTcpServer>

namespace Confab::Transport {

class Listener : public QTcpServer
{
    Q_OBJECT
public:
    explicit Listener(QObject *parent = nullptr);
    ~Listener() override;

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }
    // Serve https/wss with this certificate and key; returns false with an error.
    bool setTlsFiles(const QString &certificateFile, const QString &keyFile, QString *error);
    bool isSecure() const { return !m_tls.isNull(); }

    // Longest matching prefix wins. The handler is not owned.
    void addRoute(const QByteArray &pathPrefix, HttpHandler *handler);

    qint64 openConnections() const { return m_openConnections; }

Q_SIGNALS:
    void connectionAccepted();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void route(HttpConnection *connection, const HttpRequest &request, bool isUpgrade);
    HttpHandler *handlerFor(QByteArrayView path) const;

    HttpLimits m_limits;
    QSslConfiguration m_tls;
    QList<std::pair<QByteArray, HttpHandler *>> m_routes;
    qint64 m_openConnections = 0;
};

} // namespace Confab::Transport
