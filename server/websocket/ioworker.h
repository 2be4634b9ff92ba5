// One I/O thread's share of the WebSocket connections: it reads and unmasks what clients
// send, answers pings, and writes the frames the main thread hands it — several frames
// in one writev. Plain connections are served from one epoll set (a single notifier in
// Qt's event loop, however many sockets); TLS connections keep their QSslSocket (and
// their worker is the main thread's).
#pragma once

#include "util/handoffqueue.h"
#include "websocket/frames.h"
#include "websocket/iotypes.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>

#include <functional>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace Confab::WebSocket {

class IoWorker : public QObject
{
    Q_OBJECT
public:
    using EventSink = std::function<void(QList<Event> &&events)>;
    // Lives on the thread that constructs it. `sink` is called on that thread with each
    // batch of events.
    IoWorker(qint64 maxMessageBytes, EventSink sink);
    ~IoWorker() override;

    // Thread-safe: queues commands; the worker runs what is queued in one go.
    void post(Command &&command) { m_commands.push(std::move(command)); }
    void post(QList<Command> &&commands) { m_commands.push(std::move(commands)); }

Q_SIGNALS:
    void stopRequested(); // a Stop command: the thread's event loop ends

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Link;
    void runCommands(QList<Command> &&commands);
    void adopt(Command &command);
    void sendTo(quint64 channel, const QByteArray &frame);
    void pollReady();
    void readDescriptor(Link *link);
    void readTlsSocket(Link *link);
    void handleInput(Link *link, QByteArrayView bytes);
    void queue(Link *link, QByteArray bytes);
    void queueOwn(Link *link, QByteArray bytes);
    void flush(Link *link);
    void writeDescriptor(Link *link);
    void setWantsWrite(Link *link, bool wantsWrite);
    quint32 interest(bool wantsWrite) const;
    void updateInterest(Link *link);
    void setReadingPaused(bool paused);
    void beginClose(Link *link, quint16 code);
    void finish(quint64 id);
    void endPass(); // writes what this pass queued, hands the events over
    void flushEvents();

    const qint64 m_maxMessageBytes;
    EventSink m_sink;
    int m_epoll = -1;
    QSocketNotifier *m_epollNotifier = nullptr;
    QHash<quint64, Link *> m_links;
    QList<quint64> m_dirty;     // links with frames queued in this pass
    QList<Event> m_events;      // to the main thread at the end of this pass
    QByteArray m_readBuffer;    // one per thread, not per connection
    QBasicTimer m_closeSweep;   // ends closing links whose peer stopped reading
    bool m_readingPaused = false;
    HandoffQueue<Command> m_commands; // last: constructed after what its handler uses
};

} // namespace Confab::WebSocket
