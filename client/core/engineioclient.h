// An Engine.IO v4 client: opens a session over WebSocket or long-polling, falls back to
// polling when the WebSocket cannot be opened, upgrades a polling session to WebSocket
// when it can, and watches the server's heartbeat (no ping for pingInterval +
// pingTimeout means the connection is dead).
#pragma once

#include "engineio/handshake.h"
#include "enginetransport.h"

#include <QBasicTimer>
#include <QObject>
#include <QPointer>

namespace Confab::Client {

class PollingTransport;

class EngineIoClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString transportName READ transportName NOTIFY transportChanged)
public:
    enum class State { Closed, Opening, Open };
    Q_ENUM(State)
    enum class TransportMode { Auto, WebSocketOnly, PollingOnly };
    Q_ENUM(TransportMode)

    explicit EngineIoClient(QObject *parent = nullptr);
    ~EngineIoClient() override;

    void setTransportOptions(const TransportOptions &options) { m_options = options; }
    void setTransportMode(TransportMode mode) { m_mode = mode; }
    State state() const { return m_state; }
    QString transportName() const;
    const EngineIo::Handshake &handshake() const { return m_handshake; }

    void open();
    void close();
    void sendText(const QByteArray &message);
    void sendBinary(const QByteArray &bytes);

Q_SIGNALS:
    void stateChanged(Confab::Client::EngineIoClient::State state);
    void transportChanged(const QString &name);
    void opened();
    void textReceived(const QByteArray &message);
    void binaryReceived(const QByteArray &bytes);
    // The session ended: a reason, the HTTP status of a refused request (503 on an
    // overloaded server) or 0, and the server's Retry-After in ms or 0.
    void closed(const QString &reason, int httpStatus, int retryAfterMs);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void start(EngineTransport *transport);
    void handlePackets(const QList<EngineIo::Packet> &packets);
    void handleFailure(const QString &reason, int httpStatus, int retryAfterMs);
    void tryUpgrade();
    void finishUpgrade();
    void setState(State state);
    void resetWatchdog();
    void send(const EngineIo::Packet &packet);
    void shutdown(const QString &reason, int httpStatus, int retryAfterMs = 0);

    TransportOptions m_options;
    TransportMode m_mode = TransportMode::Auto;
    State m_state = State::Closed;
    EngineIo::Handshake m_handshake;
    QPointer<EngineTransport> m_transport;
    QPointer<EngineTransport> m_probe;
    bool m_upgrading = false;
    QList<EngineIo::Packet> m_heldDuringUpgrade;
    QBasicTimer m_watchdog;
};

} // namespace Confab::Client
