#include "websocket/channel.h"

#include "websocket/iopool.h"
#include "websocket/ioworker.h"

namespace Confab::WebSocket {

Channel::Channel(IoPool *pool, IoWorker *worker, quint64 id, std::shared_ptr<ChannelShared> shared)
    : m_pool(pool)
    , m_worker(worker)
    , m_id(id)
    , m_shared(std::move(shared))
{
}

Channel::~Channel()
{
    if (!m_pool)
        return;
    // Closed gracefully, the worker still flushes the close; otherwise drop the connection.
    if (m_open && !m_closing)
        m_pool->enqueue(m_worker, { Command::Abort, m_id });
    m_pool->forget(m_id, m_worker);
}

void Channel::sendFrame(const QByteArray &frame)
{
    if (!m_open || m_closing || !m_pool)
        return;
    m_shared->queuedBytes.fetch_add(frame.size(), std::memory_order_relaxed);
    m_pool->send(m_worker, m_id, frame);
}

void Channel::close(quint16 code)
{
    if (!m_open || m_closing || !m_pool)
        return;
    m_closing = true;
    Command command { Command::Close, m_id };
    command.closeCode = code;
    m_pool->enqueue(m_worker, std::move(command));
}

void Channel::deliver(Event &event)
{
    switch (event.kind) {
    case Event::Text:
        if (!m_closing && m_receiver)
            m_receiver->textReceived(event.data);
        break;
    case Event::Binary:
        if (!m_closing && m_receiver)
            m_receiver->binaryReceived(event.data);
        break;
    case Event::Closed:
        m_open = false;
        if (m_receiver)
            m_receiver->disconnected();
        break;
    }
}

} // namespace Confab::WebSocket
