// The main thread's handle on one WebSocket connection served by an I/O worker. Sending
// hands the frame to the worker (shared, not copied); what the client sends arrives as
// signals, in order, on the main thread.
#pragma once

#include "websocket/frames.h"
#include "websocket/iotypes.h"

#include <QObject>
#include <QPointer>

namespace Confab::WebSocket {

class IoPool;
class IoWorker;

class Channel : public QObject
{
    Q_OBJECT
public:
    ~Channel() override;

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

Q_SIGNALS:
    void textReceived(const QByteArray &utf8);
    void binaryReceived(const QByteArray &bytes);
    void disconnected();

private:
    friend class IoPool;
    Channel(IoPool *pool, IoWorker *worker, quint64 id, std::shared_ptr<ChannelShared> shared);
    void deliver(Event &event);

    QPointer<IoPool> m_pool;
    IoWorker *m_worker;
    quint64 m_id;
    std::shared_ptr<ChannelShared> m_shared;
    bool m_open = true;
    bool m_closing = false;
};

} // namespace Confab::WebSocket
