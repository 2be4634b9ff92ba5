// A client's connection to one namespace (Socket.IO's server-side "socket"):
// events in both directions, acks with timeouts, rooms.
#pragma once

#include "realtime/ack.h"
#include "socketio/packet.h"
#include "socketio/pendingacks.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>

namespace Confab::EngineIo {
class Session;
}

namespace Confab::Realtime {

class Client;
class Namespace;

class Socket : public QObject
{
    Q_OBJECT
public:
    using EventHandler
        = std::function<void(const QJsonArray &args, const QList<QByteArray> &attachments, const Ack &ack)>;
    // Called with the ack's arguments, or with timedOut = true.
    using AckCallback = SocketIo::PendingAcks::Callback;

    Socket(const QByteArray &id, Namespace *nsp, Client *client, const QJsonObject &auth);
    ~Socket() override;

    QByteArray id() const { return m_id; }
    Namespace *nsp() const { return m_namespace; }
    Client *client() const { return m_client; }
    EngineIo::Session *session() const;
    const QJsonObject &auth() const { return m_auth; }
    bool isConnected() const { return m_connected; }

    // This socket's own handler; most handlers are the namespace's (Namespace::on).
    void on(const QString &event, EventHandler handler);
    void emitEvent(const QString &event, const QJsonArray &args = {}, const QList<QByteArray> &attachments = {});
    void emitWithAck(const QString &event, const QJsonArray &args, AckCallback callback, int timeoutMs = 10000,
                     const QList<QByteArray> &attachments = {});

    void join(const QString &room);
    void leave(const QString &room);
    // The rooms joined, sorted; the room named by the socket's id is implicit.
    const QStringList &rooms() const { return m_rooms; }

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

private:
    QByteArray m_id;
    Namespace *m_namespace;
    Client *m_client;
    QJsonObject m_auth;
    bool m_connected = true;
    QStringList m_rooms;                     // sorted: a few rooms each, a list is smaller than a set
    QHash<QString, EventHandler> m_handlers; // usually empty, which allocates nothing
    SocketIo::PendingAcks m_pendingAcks;
};

} // namespace Confab::Realtime
