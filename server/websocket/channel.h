// The main thread's handle on one WebSocket connection served by an I/O worker. Sending
// hands the frame to the worker (shared, not copied); what the client sends reaches the
// channel's receiver, in order, on the main thread. Not a QObject: one per connection,
// so it carries no signal machinery, only a pointer to whoever listens.
#pragma once

#include "websocket/frames.h"
#include "websocket/iotypes.h"

namespace Confab::WebSocket {

class IoPool;
class IoWorker;

// Told what arrives on a channel. It may close the channel from these calls, but deletes
// it only later (the channel is still delivering).
class ChannelReceiver
{
public:
    virtual void textReceived(const QByteArray &utf8) = 0;
    virtual void binaryReceived(const QByteArray &bytes) = 0;
    virtual void disconnected() = 0;

protected:
    ~ChannelReceiver() = default;
};

class Channel
{
public:
    Channel(const Channel &) = delete;
    Channel &operator=(const Channel &) = delete;
    ~Channel();

    // nullptr: what arrives is dropped.
    void setReceiver(ChannelReceiver *receiver) { m_receiver = receiver; }
    // A text message (UTF-8); `prefix` (0: none) is written before it, so an Engine.IO
    // packet needs no copy to put its type in front.
    void sendText(QByteArrayView utf8, char prefix = 0) { sendFrame(encodeFrame(Opcode::Text, utf8, prefix)); }
    void sendBinary(QByteArrayView bytes) { sendFrame(encodeFrame(Opcode::Binary, bytes)); }
    // A frame built by the caller, typically once for many connections.
    void sendFrame(const QByteArray &frame);
    // Sends a close frame after everything queued; disconnected() follows.
    void close(quint16 code = NormalClosure);
    // Bytes sent and not yet taken by the client's TCP connection.
    qint64 queuedBytes() const { return m_shared->queuedBytes.load(std::memory_order_relaxed); }

private:
    friend class IoPool;
    Channel(IoPool *pool, IoWorker *worker, quint64 id, std::shared_ptr<ChannelShared> shared);
    void deliver(Event &event);

    IoPool *m_pool; // nulled by the pool when it goes first
    IoWorker *m_worker;
    quint64 m_id;
    std::shared_ptr<ChannelShared> m_shared;
    ChannelReceiver *m_receiver = nullptr;
    bool m_open = true;
    bool m_closing = false;
};

} // namespace Confab::WebSocket
