// How an Engine.IO session moves packets: long-polling (PollingTransport) or a
// WebSocket (WebSocketTransport). The session keeps the protocol — heartbeats, the
// upgrade, closing — and hands every packet to whichever transport it has.
#pragma once

#include "engineio/outboundpacket.h"

#include <QObject>

namespace Confab::EngineIo {

enum class TransportKind { Polling, WebSocket };

class SessionTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual TransportKind kind() const = 0;
    // Called once per recipient of a broadcast: the packet's encoding is shared.
    virtual void send(const OutboundPacket &packet) = 0;
    virtual qint64 queuedBytes() const = 0;
    // Lets what is queued reach the client, then says drained(): at once on a WebSocket
    // (its close frame follows the queued frames), with a later poll on long-polling.
    virtual void closeAfterFlush() = 0;
    // The session is over: lets the connection go. `announce`: tell the client with a
    // close packet where the transport can (a waiting poll); otherwise a noop.
    virtual void shutdown(bool announce) = 0;
    // A WebSocket probe was answered (or went): long-polling answers polls at once
    // meanwhile, so the client can pause polling and finish the upgrade.
    virtual void setUpgrading(bool upgrading) { Q_UNUSED(upgrading); }

Q_SIGNALS:
    void packetReceived(const Confab::EngineIo::Packet &packet);
    void failed(const QString &reason); // the client broke the protocol: the session closes
    void lost();                        // the connection went away
    void drained();                     // after closeAfterFlush()
};

} // namespace Confab::EngineIo
