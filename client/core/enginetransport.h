// One Engine.IO client transport (WebSocket or HTTP long-polling). EngineIoClient owns
// the session logic; a transport only moves packets.
#pragma once

#include "engineio/packet.h"

#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

#include <optional>

namespace Confab::Client {

struct TransportOptions
{
    QUrl baseUrl; // http(s)://host:port
    QByteArray path = "/socket.io/";
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    int requestTimeoutMs = 30000; // polling requests; must exceed pingInterval
};

// TLS that trusts the system CAs plus those in caFile (PEM); empty caFile: system only.
// Invalid certificates are always refused. Nothing when caFile cannot be read.
std::optional<QSslConfiguration> sslConfigurationWithCaFile(const QString &caFile);

class EngineTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~EngineTransport() override = default;

    virtual QString name() const = 0;
    // Opens the transport: a new session when sid is empty, else joins (or probes) it.
    virtual void open(const QByteArray &sid) = 0;
    virtual void send(const QList<EngineIo::Packet> &packets) = 0;
    virtual void close() = 0;

    // The Engine.IO endpoint URL for this transport and session.
    static QUrl endpoint(const TransportOptions &options, const QString &transport, const QByteArray &sid);

Q_SIGNALS:
    void opened();
    void packetsReceived(const QList<Confab::EngineIo::Packet> &packets);
    // Could not open, or broke: the reason, the HTTP status when there was one, and the
    // server's Retry-After in ms when it sent one (0 otherwise).
    void failed(const QString &reason, int httpStatus, int retryAfterMs = 0);
};

} // namespace Confab::Client
