// The Socket.IO side of one Engine.IO session (any EngineIo::Session: the real one, or
// an in-process fake in tests): decodes packets (reassembling binary
// ones), multiplexes namespaces over the session, and enforces the connect timeout.
#pragma once

#include "engineio/session.h"
#include "socketio/binary.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>

namespace Confab::Ops {
class Metrics;
}

namespace Confab::Realtime {

class Server;
class Socket;

class Client : public QObject
{
    Q_OBJECT
public:
    Client(EngineIo::Session *session, Server *server);
    ~Client() override;

    EngineIo::Session *session() const { return m_session; }
    void sendPacket(const SocketIo::Packet &packet);
    // An already encoded packet and its attachments, shared by every recipient of a
    // broadcast (each encoded once per transport). Returns false when it was not sent: a
    // volatile packet to a client that is behind, or any packet to a client over its
    // outbound budget, which is then closed as a slow consumer.
    bool sendEncoded(const EngineIo::OutboundPacket &header, const QList<EngineIo::OutboundPacket> &attachments = {},
                     bool isVolatile = false);
    // The same without counting the packet in confab_socketio_packets_total: a broadcast
    // counts its deliveries once, not per recipient.
    bool deliverEncoded(const EngineIo::OutboundPacket &header, const QList<EngineIo::OutboundPacket> &attachments,
                        bool isVolatile);
    // Counts `packets` sent to clients.
    static void countSent(Ops::Metrics *metrics, qsizetype packets);
    void close(const QString &reason);
    // Tells every namespace of this client `server:advice {reconnectAfterMs, reason}`,
    // then closes the transport once that has left (shedding load, draining).
    void advise(int reconnectAfterMs, const QString &reason);
    bool isAdvised() const { return m_advised; }
    bool isOpen() const;

    void removeSocket(Socket *socket);
    // The server is going (it goes before the sessions at shutdown).
    void detachServer() { m_server = nullptr; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    Socket *socketOf(const QString &nsp) const;
    void handleText(const QByteArray &text);
    void handleBinary(const QByteArray &bytes);
    void dispatch(const SocketIo::Packet &packet);
    void connectNamespace(const SocketIo::Packet &packet);
    void handleSessionClosed(const QString &reason);
    void protocolError(const char *what);

    EngineIo::Session *const m_session; // our parent: it outlives us
    Server *m_server;                   // nulled by the server if it goes first
    SocketIo::BinaryAssembler m_assembler;
    QList<Socket *> m_sockets; // one per namespace: few, so a list, not a hash
    QBasicTimer m_connectTimer;
    bool m_advised = false;
};

} // namespace Confab::Realtime
