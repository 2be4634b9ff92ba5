// The I/O threads that serve WebSocket connections (`--workers`). The main thread keeps
// the sessions, rooms and the store, so chat state needs no locks and per-room order is
// the order of one thread; what grows with the number of recipients — framing, masking,
// UTF-8 checks and the system calls — runs on the workers, on every core.
#pragma once

#include "util/endofpass.h"
#include "util/handoffqueue.h"
#include "websocket/iotypes.h"

#include <QHash>
#include <QObject>

#include <thread>
#include <vector>

namespace Confab::WebSocket {

class Channel;
class IoWorker;

class IoPool : public QObject
{
    Q_OBJECT
public:
    // `workers` threads (at least 1); messages over `maxMessageBytes` close their connection.
    IoPool(int workers, qint64 maxMessageBytes, QObject *parent = nullptr);
    ~IoPool() override;

    // Takes over an upgraded connection: `handshakeAnswer` is written to it first and
    // the bytes still unread in `socket` are parsed as frames. Plain sockets leave Qt for
    // a worker's epoll set; TLS sockets stay QSslSockets served on this thread. The
    // channel has no parent; its owner deletes it.
    Channel *adopt(QTcpSocket *socket, const QByteArray &handshakeAnswer);
    // Stops (or resumes) reading from every connection; writing goes on. For when the
    // node cannot keep up with what clients send (the store is behind).
    void setReadingPaused(bool paused);

private:
    friend class Channel;
    // Commands from channels wait here until the end of the event-loop pass, then go to
    // each worker in one hand-over; consecutive sends of one frame share one command.
    void send(IoWorker *worker, quint64 channel, const QByteArray &frame);
    void enqueue(IoWorker *worker, Command &&command);
    QList<Command> &pendingFor(IoWorker *worker);
    void handOver();
    void dispatchEvents(QList<Event> &&events);
    void forget(quint64 id, IoWorker *worker);

    // A std::thread running a QEventLoop: joining it is an edge ThreadSanitizer sees.
    struct Worker
    {
        std::thread thread;
        IoWorker *worker = nullptr; // lives on `thread`, deleted there when it stops
        int connections = 0;
        QList<Command> pending;
    };
    std::vector<Worker> m_workers;
    IoWorker *m_tlsWorker; // on this thread, for TLS connections
    QList<Command> m_tlsPending;
    EndOfPass<IoPool> m_handOver { this, &IoPool::handOver }; // a pass's commands, one post per worker
    QHash<quint64, Channel *> m_channels;
    quint64 m_nextId = 1;
    HandoffQueue<Event> m_events; // from the workers
};

} // namespace Confab::WebSocket
