// A Socket.IO namespace: admits sockets (auth), indexes them by room, and
// broadcasts with the packet encoded once for all recipients.
#pragma once

#include "realtime/ack.h"
#include "socketio/packet.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>
#include <optional>

namespace Confab::Realtime {

class Client;
class Socket;

struct BroadcastTarget
{
    QStringList rooms; // empty: every socket of the namespace
    const Socket *except = nullptr;
    // Like Socket.IO's volatile flag: a recipient that is behind (a slow consumer) may
    // miss it. For events the next one supersedes, such as typing and presence.
    bool isVolatile = false;
};

class Namespace : public QObject
{
    Q_OBJECT
public:
    // A handler for an event on any socket of the namespace (a socket's own handlers,
    // Socket::on, come first). One table for all sockets keeps connections small.
    using EventHandler = std::function<void(Socket *socket, const QJsonArray &args,
                                            const QList<QByteArray> &attachments, const Ack &ack)>;
    // Returns the CONNECT_ERROR data to refuse the socket, or nothing to admit it.
    using Authenticator = std::function<std::optional<QJsonObject>(const QJsonObject &auth, const Client *client)>;

    Namespace(const QString &name, QObject *parent = nullptr);

    QString name() const { return m_name; }
    void setAuthenticator(Authenticator authenticator) { m_authenticator = std::move(authenticator); }
    void on(const QString &event, EventHandler handler) { m_handlers.insert(event, std::move(handler)); }
    const EventHandler *handler(const QString &event) const;
    qsizetype socketCount() const { return m_sockets.size(); }
    QList<Socket *> sockets() const { return m_sockets.values(); }
    // A socket is also in the room named by its id (kept implicit: no set per socket).
    QSet<Socket *> socketsIn(const QString &room) const;

    // Sends one event to the target; returns how many sockets it was written to.
    qsizetype broadcast(const BroadcastTarget &target, const QString &event, const QJsonArray &args = {},
                        const QList<QByteArray> &attachments = {});

    // Called by Client and Socket.
    Socket *admit(Client *client, const QJsonObject &auth, QJsonObject *refusal);
    void addToRoom(const QString &room, Socket *socket);
    void removeFromRoom(const QString &room, Socket *socket);
    void removeSocket(Socket *socket);

Q_SIGNALS:
    void connected(Confab::Realtime::Socket *socket);

private:
    QString m_name;
    Authenticator m_authenticator;
    QHash<QString, EventHandler> m_handlers;
    QHash<QByteArray, Socket *> m_sockets;
    QHash<QString, QSet<Socket *>> m_rooms;
};

} // namespace Confab::Realtime
