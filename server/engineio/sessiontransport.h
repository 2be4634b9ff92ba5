// How an Engine.IO session moves packets: long-polling (PollingTransport) or a
// WebSocket (WebSocketTransport). The session keeps the protocol — heartbeats, the
// upgrade, closing — and hands every packet to whichever transport it has.
//
// Plain classes, not QObjects: a session owns its transport and is told what happens on
// it through TransportListener, so an idle connection costs no signal connections.
#pragma once

#include "engineio/outboundpacket.h"

namespace Confab::EngineIo {

enum class TransportKind { Polling, WebSocket };

class SessionTransport;

// What a transport reports to its session. The transport may be retired from inside
// these calls (it is then deleted later, never during them).
class TransportListener
{
public:
    virtual void transportPacket(SessionTransport *transport, const Packet &packet) = 0;
    // The client broke the protocol: the session closes.
    virtual void transportFailed(SessionTransport *transport, const QString &reason) = 0;
    // The connection went away.
    virtual void transportLost(SessionTransport *transport) = 0;
    // After closeAfterFlush().
    virtual void transportDrained(SessionTransport *transport) = 0;

protected:
    ~TransportListener() = default;
};

class SessionTransport
{
public:
    explicit SessionTransport(TransportListener *listener)
        : m_listener(listener)
    {
    }
    SessionTransport(const SessionTransport &) = delete;
    SessionTransport &operator=(const SessionTransport &) = delete;
    virtual ~SessionTransport() = default;

    virtual TransportKind kind() const = 0;
    // Called once per recipient of a broadcast: the packet's encoding is shared.
    virtual void send(const OutboundPacket &packet) = 0;
    virtual qint64 queuedBytes() const = 0;
    // Lets what is queued reach the client, then reports drained: at once on a WebSocket
    // (its close frame follows the queued frames), with a later poll on long-polling.
    virtual void closeAfterFlush() = 0;
    // The session is over: lets the connection go. `announce`: tell the client with a
    // close packet where the transport can (a waiting poll); otherwise a noop.
    virtual void shutdown(bool announce) = 0;
    // A WebSocket probe was answered (or went): long-polling answers polls at once
    // meanwhile, so the client can pause polling and finish the upgrade.
    virtual void setUpgrading(bool upgrading) { Q_UNUSED(upgrading); }

    // Reports nothing more (the session has let it go).
    void detach() { m_listener = nullptr; }
    bool isDetached() const { return !m_listener; }

protected:
    void reportPacket(const Packet &packet)
    {
        if (m_listener)
            m_listener->transportPacket(this, packet);
    }
    void reportFailed(const QString &reason)
    {
        if (m_listener)
            m_listener->transportFailed(this, reason);
    }
    void reportLost()
    {
        if (m_listener)
            m_listener->transportLost(this);
    }
    void reportDrained()
    {
        if (m_listener)
            m_listener->transportDrained(this);
    }

private:
    TransportListener *m_listener;
};

} // namespace Confab::EngineIo
