#include "websocket/iopool.h"

#include "websocket/channel.h"
#include "websocket/ioworker.h"

#include <QSslSocket>
#include <QThread>

#include <unistd.h>

namespace Confab::WebSocket {

IoPool::IoPool(int workers, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < qMax(1, workers); ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("confab-io-%1").arg(i + 1));
        auto *worker = new IoWorker(maxMessageBytes, [this](QList<Event> &&events) { receive(std::move(events)); });
        worker->moveToThread(thread);
        thread->start();
        m_workers.append({ thread, worker, 0, {} });
    }
    m_tlsWorker = new IoWorker(maxMessageBytes, [this](QList<Event> &&events) { receive(std::move(events)); });
}

IoPool::~IoPool()
{
    for (Channel *channel : std::as_const(m_channels))
        channel->m_pool = nullptr;
    for (const Worker &entry : std::as_const(m_workers)) {
        // Deleted on its own thread: its notifiers belong to that thread.
        QMetaObject::invokeMethod(entry.worker, [worker = entry.worker] { delete worker; }, Qt::BlockingQueuedConnection);
        entry.thread->quit();
        entry.thread->wait();
    }
    delete m_tlsWorker;
}

Channel *IoPool::adopt(QTcpSocket *socket, const QByteArray &handshakeAnswer)
{
    const quint64 id = m_nextId++;
    auto shared = std::make_shared<ChannelShared>();
    Command command { Command::AdoptDescriptor, id, handshakeAnswer };
    command.shared = shared;
    socket->disconnect();
    socket->setParent(nullptr);
    if (qobject_cast<QSslSocket *>(socket)) {
        // TLS state lives in the QSslSocket, whose notifiers cannot move threads once it
        // is running: it stays on this thread. (Clusters terminate TLS at the balancer.)
        command.kind = Command::AdoptTlsSocket;
        command.tlsSocket = socket;
        auto *channel = new Channel(this, m_tlsWorker, id, shared);
        m_channels.insert(id, channel);
        m_tlsWorker->post(std::move(command));
        return channel;
    }
    // The least busy worker takes it.
    qsizetype chosen = 0;
    for (qsizetype i = 1; i < m_workers.size(); ++i) {
        if (m_workers.at(i).connections < m_workers.at(chosen).connections)
            chosen = i;
    }
    Worker &entry = m_workers[chosen];
    // A plain socket leaves Qt: its descriptor (duplicated, as QTcpSocket closes its own)
    // joins the worker's epoll set, and the QTcpSocket with its buffers goes.
    command.pending = socket->readAll();
    command.descriptor = ::dup(int(socket->socketDescriptor()));
    socket->abort();
    socket->deleteLater();
    if (command.descriptor < 0)
        return nullptr;
    ++entry.connections;
    auto *channel = new Channel(this, entry.worker, id, shared);
    m_channels.insert(id, channel);
    entry.worker->post(std::move(command));
    return channel;
}

void IoPool::setReadingPaused(bool paused)
{
    for (const Worker &entry : std::as_const(m_workers))
        entry.worker->post({ paused ? Command::PauseReading : Command::ResumeReading, 0 });
    m_tlsWorker->post({ paused ? Command::PauseReading : Command::ResumeReading, 0 });
}

QList<Command> &IoPool::pendingFor(IoWorker *worker)
{
    if (!m_handOverScheduled) {
        m_handOverScheduled = true;
        QMetaObject::invokeMethod(this, &IoPool::handOver, Qt::QueuedConnection);
    }
    for (Worker &entry : m_workers) {
        if (entry.worker == worker)
            return entry.pending;
    }
    return m_tlsPending;
}

void IoPool::send(IoWorker *worker, quint64 channel, const QByteArray &frame)
{
    QList<Command> &pending = pendingFor(worker);
    // The same bytes as the previous send (a broadcast): one more recipient, no copy.
    if (!pending.isEmpty() && pending.last().kind == Command::Send
        && pending.last().data.constData() == frame.constData() && pending.last().data.size() == frame.size()) {
        pending.last().moreChannels.append(channel);
        return;
    }
    pending.append({ Command::Send, channel, frame });
}

void IoPool::enqueue(IoWorker *worker, Command &&command)
{
    pendingFor(worker).append(std::move(command));
}

void IoPool::handOver()
{
    m_handOverScheduled = false;
    for (Worker &entry : m_workers)
        entry.worker->post(std::exchange(entry.pending, {}));
    m_tlsWorker->post(std::exchange(m_tlsPending, {}));
}

void IoPool::receive(QList<Event> &&events)
{
    QMutexLocker locker(&m_eventsMutex);
    const bool wasEmpty = m_events.isEmpty();
    if (wasEmpty)
        m_events = std::move(events);
    else
        m_events.append(events);
    if (wasEmpty)
        QMetaObject::invokeMethod(this, &IoPool::dispatchEvents, Qt::QueuedConnection);
}

void IoPool::dispatchEvents()
{
    QList<Event> events;
    {
        QMutexLocker locker(&m_eventsMutex);
        events.swap(m_events);
    }
    for (Event &event : events) {
        Channel *channel = m_channels.value(event.channel);
        if (!channel)
            continue; // deleted by its owner meanwhile
        if (event.kind == Event::Closed)
            forget(event.channel, channel->m_worker);
        channel->deliver(event);
    }
}

void IoPool::forget(quint64 id, IoWorker *worker)
{
    if (!m_channels.remove(id))
        return;
    for (Worker &entry : m_workers) {
        if (entry.worker == worker)
            --entry.connections;
    }
}

} // namespace Confab::WebSocket
