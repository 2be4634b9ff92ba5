#include "websocket/iopool.h"

#include "websocket/channel.h"
#include "websocket/plainioworker.h"
#include "websocket/tlsioworker.h"

#include <QEventLoop>
#include <QSslSocket>

#include <future>

#include <pthread.h>
#include <unistd.h>

namespace Confab::WebSocket {

IoPool::IoPool(int workers, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_events([this](QList<Event> &&events) { dispatchEvents(std::move(events)); })
{
    const IoWorker::EventSink sink = [this](QList<Event> &&events) { m_events.push(std::move(events)); };
    m_workers.resize(size_t(qMax(1, workers)));
    for (size_t i = 0; i < m_workers.size(); ++i) {
        // Shared: the thread may still be inside set_value() when this loop moves on.
        auto started = std::make_shared<std::promise<IoWorker *>>();
        m_workers[i].thread = std::thread([started, sink, maxMessageBytes, i] {
            pthread_setname_np(pthread_self(), ("confab-io-" + std::to_string(i + 1)).c_str());
            QEventLoop loop;
            PlainIoWorker worker(maxMessageBytes, sink);
            QObject::connect(&worker, &IoWorker::stopRequested, &loop, &QEventLoop::quit);
            started->set_value(&worker);
            loop.exec();
        });
        m_workers[i].worker = started->get_future().get();
    }
    m_tlsWorker = new TlsIoWorker(maxMessageBytes, sink);
}

IoPool::~IoPool()
{
    for (Channel *channel : std::as_const(m_channels))
        channel->m_pool = nullptr;
    handOver(); // close frames still waiting for this pass go out before the workers stop
    for (Worker &entry : m_workers) {
        entry.worker->post({ Command::Stop, 0 });
        entry.thread.join(); // the worker and its connections are gone with its thread
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
    size_t chosen = 0;
    for (size_t i = 1; i < m_workers.size(); ++i) {
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
    m_handOver.schedule();
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
    for (Worker &entry : m_workers)
        entry.worker->post(std::exchange(entry.pending, {}));
    m_tlsWorker->post(std::exchange(m_tlsPending, {}));
}

void IoPool::dispatchEvents(QList<Event> &&events)
{
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
