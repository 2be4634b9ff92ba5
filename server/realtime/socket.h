// A client's connection to one namespace (Socket.IO's server-side "socket"):
// events in both directions, acks with timeouts, rooms.
#pragma once

#include "realtime/ack.h"
#include "socketio/packet.h"

#include <QBasicTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>

namespace Confab::EngineIo {
class EngineSession;
}

namespace Confab::Realtime {

class Client;
class Namespace;

class Socket : public QObject
{
    Q_OBJECT
public:
    using EventHandler = std::function<void(const QJsonArray &args, const QList<QByteArray> &attachments, const Ack &ack)>;
    // Called with the ack's arguments, or with timedOut = true.
    using AckCallback = std::function<void(bool timedOut, const QJsonArray &args, const QList<QByteArray> &attachments)>;

    Socket(const QByteArray &id, Namespace *nsp, Client *client, const QJsonObject &auth);
    ~Socket() override;

    QByteArray id() const { return m_id; }
    Namespace *nsp() const { return m_namespace; }
    Client *client() const { return m_client; }
    EngineIo::EngineSession *session() const;
    const QJsonObject &auth() const { return m_auth; }
    bool isConnected() const { return m_connected; }

    void on(const QString &event, EventHandler handler);
    void emitEvent(const QString &event, const QJsonArray &args = {}, const QList<QByteArray> &attachments = {});
    void emitWithAck(const QString &event, const QJsonArray &args, AckCallback callback, int timeoutMs = 10000,
                     const QList<QByteArray> &attachments = {});

    void join(const QString &room);
    void leave(const QString &room);
    const QSet<QString> &rooms() const { return m_rooms; }

    // Server-side disconnect from this namespace; with closeTransport, the whole
    // Engine.IO session closes too.
    enum class DisconnectMode { NamespaceOnly, CloseTransport };
    void disconnect(DisconnectMode mode = DisconnectMode::NamespaceOnly);

    // Called by the Client.
    void handlePacket(const SocketIo::Packet &packet);
    void handleClosed(const QString &reason);
    void sendPacket(const SocketIo::Packet &packet);

Q_SIGNALS:
    void disconnected(const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct PendingAck
    {
        AckCallback callback;
        QBasicTimer timer;
    };

    QByteArray m_id;
    Namespace *m_namespace;
    Client *m_client;
    QJsonObject m_auth;
    bool m_connected = true;
    QSet<QString> m_rooms;
    QHash<QString, EventHandler> m_handlers;
    qint64 m_nextAckId = 0;
    std::map<qint64, std::unique_ptr<PendingAck>> m_pendingAcks;
};

} // namespace Confab::Realtime
