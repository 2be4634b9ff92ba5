// What the Socket.IO layer needs of an Engine.IO session: messages in both directions,
// its backlog, and closing. EngineSession is the real one; tests drive Realtime and
// chat through an in-process fake (tests/support/fakesession.h) with no socket at all.
#pragma once

#include "engineio/outboundpacket.h"

#include <QObject>

namespace Confab::EngineIo {

class Session : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QByteArray id() const = 0;
    virtual bool isOpen() const = 0;
    // Bytes written by us but not yet taken by the client (or its TCP connection).
    virtual qint64 queuedBytes() const = 0;
    // The backlog past which the Socket.IO layer drops volatile packets (half) or
    // closes the session as a slow consumer (all); 0: no limit.
    virtual qint64 outboundBudget() const = 0;

    // A message packet (text or binary); what a broadcast shares is encoded once.
    virtual void send(const OutboundPacket &packet) = 0;
    // Server-initiated close.
    virtual void close(const QString &reason) = 0;
    // Closes once what is queued has reached the client.
    virtual void closeAfterFlush(const QString &reason) = 0;

    void sendText(const QByteArray &message) { send(OutboundPacket::message(message)); }
    void sendBinary(const QByteArray &bytes) { send(OutboundPacket::binary(bytes)); }

Q_SIGNALS:
    void textReceived(const QByteArray &message);
    void binaryReceived(const QByteArray &bytes);
    void closed(const QString &reason);
};

} // namespace Confab::EngineIo
