// One I/O thread's share of the WebSocket connections: it reads and unmasks what clients
// send, answers pings, and writes the frames the main thread hands it. This base keeps
// what every connection shares — commands, the frame reader, closing, events back to
// the main thread; the two kinds of connection are its subclasses: PlainIoWorker
// (descriptors in one epoll set, several frames per writev) and TlsIoWorker (QSslSockets,
// on the main thread).
#pragma once

#include "util/handoffqueue.h"
#include "websocket/frames.h"
#include "websocket/iotypes.h"

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>

#include <functional>

namespace Confab::WebSocket {

class IoWorker : public QObject
{
    Q_OBJECT
public:
    using EventSink = std::function<void(QList<Event> &&events)>;
    ~IoWorker() override;

    // Thread-safe: queues commands; the worker runs what is queued in one go.
    void post(Command &&command) { m_commands.push(std::move(command)); }
    void post(QList<Command> &&commands) { m_commands.push(std::move(commands)); }

Q_SIGNALS:
    void stopRequested(); // a Stop command: the thread's event loop ends

protected:
    // Lives on the thread that constructs it. `sink` is called on that thread with each
    // batch of events.
    IoWorker(qint64 maxMessageBytes, EventSink sink);

    struct Link
    {
        Link(quint64 id, qint64 maxMessageBytes, std::shared_ptr<ChannelShared> shared)
            : id(id)
            , reader(maxMessageBytes)
            , shared(std::move(shared))
        {
        }
        virtual ~Link() = default;
        quint64 id;
        FrameReader reader;
        std::shared_ptr<ChannelShared> shared;
        QDeadlineTimer closeDeadline; // set once the close frame is queued
        bool closing = false;         // nothing more is read; finish once what is queued is written
        bool dirty = false;           // in m_dirty: written at the end of this pass
    };

    // What each kind of connection does its own way.
    virtual void adopt(Command &command) = 0;
    virtual void queue(Link *link, QByteArray bytes) = 0; // a whole frame, shared
    virtual void flush(Link *link) = 0;                   // end of pass: write what is queued
    virtual void applyReadingPaused(bool paused) = 0;
    virtual void release(Link *link) = 0; // the connection goes (finish)

    void addLink(Link *link, QByteArray handshakeAnswer, const QByteArray &pending);
    Link *link(quint64 id) const { return m_links.value(id); }
    const QHash<quint64, Link *> &links() const { return m_links; }
    QHash<quint64, Link *> takeLinks() { return std::exchange(m_links, {}); }
    bool isReadingPaused() const { return m_readingPaused; }
    // Bytes read from the connection; false once the link is gone.
    bool handleInput(Link *link, QByteArrayView bytes);
    void queueOwn(Link *link, QByteArray bytes);
    void markDirty(Link *link);
    void finish(quint64 id);
    void endPass(); // writes what this pass queued, hands the events over
    void flushEvents();

    void timerEvent(QTimerEvent *event) override;

    const qint64 m_maxMessageBytes;
    QByteArray m_readBuffer; // one per thread, not per connection

private:
    void runCommands(QList<Command> &&commands);
    void sendTo(quint64 channel, const QByteArray &frame);
    void setReadingPaused(bool paused);
    void beginClose(Link *link, quint16 code);

    EventSink m_sink;
    QHash<quint64, Link *> m_links;
    QList<quint64> m_dirty;   // links with frames queued in this pass
    QList<Event> m_events;    // to the main thread at the end of this pass
    QBasicTimer m_closeSweep; // ends closing links whose peer stopped reading
    bool m_readingPaused = false;
    HandoffQueue<Command> m_commands; // last: constructed after what its handler uses
};

} // namespace Confab::WebSocket
