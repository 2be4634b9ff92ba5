#include "websocket/ioworker.h"

#include <QDeadlineTimer>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimerEvent>

#include <cerrno>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Confab::WebSocket {

namespace {
constexpr qsizetype ReadChunk = 64 * 1024;
constexpr qsizetype MaxReadPerPass = 4 * ReadChunk; // then the next connection's turn
constexpr int MaxIovecs = 64;
constexpr int CloseGraceMs = 5000; // a peer that stops reading does not hold a closing link
} // namespace

struct IoWorker::Link
{
    explicit Link(qint64 maxMessageBytes) : reader(maxMessageBytes) { }
    quint64 id = 0;
    int descriptor = -1;
    QTcpSocket *tlsSocket = nullptr;
    FrameReader reader;
    QList<QByteArray> out;        // frames not yet written; shared with the main thread's copies
    qsizetype outOffset = 0;      // into out.first()
    std::shared_ptr<ChannelShared> shared;
    QDeadlineTimer closeDeadline; // set once the close frame is queued
    bool closing = false;         // nothing more is read; finish once `out` is written
    bool wantsWrite = false;      // EPOLLOUT registered
    bool dirty = false;
};

IoWorker::IoWorker(qint64 maxMessageBytes, EventSink sink)
    : m_maxMessageBytes(maxMessageBytes)
    , m_sink(std::move(sink))
    , m_readBuffer(ReadChunk, Qt::Uninitialized)
    , m_commands([this](QList<Command> &&commands) { runCommands(std::move(commands)); })
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    Q_ASSERT(m_epoll >= 0);
    m_epollNotifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_epollNotifier, &QSocketNotifier::activated, this, &IoWorker::pollReady);
}

IoWorker::~IoWorker()
{
    // Taken out first: a TLS socket being deleted emits disconnected(), whose handler
    // would otherwise finish (and free) the link this loop is about to free.
    const QHash<quint64, Link *> links = std::exchange(m_links, {});
    for (Link *link : links) {
        if (link->descriptor >= 0)
            ::close(link->descriptor);
        if (link->tlsSocket) {
            link->tlsSocket->disconnect(this);
            delete link->tlsSocket;
        }
        delete link;
    }
    for (const Command &command : m_commands.takeAll()) {
        if (command.descriptor >= 0)
            ::close(command.descriptor);
        delete command.tlsSocket;
    }
    delete m_epollNotifier;
    ::close(m_epoll);
}

void IoWorker::runCommands(QList<Command> &&commands)
{
    for (Command &command : commands) {
        if (command.kind == Command::Stop) {
            Q_EMIT stopRequested();
            continue;
        }
        if (command.kind == Command::AdoptDescriptor || command.kind == Command::AdoptTlsSocket) {
            adopt(command);
            continue;
        }
        if (command.kind == Command::PauseReading || command.kind == Command::ResumeReading) {
            setReadingPaused(command.kind == Command::PauseReading);
            continue;
        }
        if (command.kind == Command::Send) {
            sendTo(command.channel, command.data);
            for (quint64 channel : std::as_const(command.moreChannels))
                sendTo(channel, command.data);
            continue;
        }
        Link *link = m_links.value(command.channel);
        if (!link)
            continue; // already gone; its Closed event is on the way
        switch (command.kind) {
        case Command::Close:
            beginClose(link, command.closeCode);
            break;
        case Command::Abort:
            finish(link->id);
            break;
        default:
            break;
        }
    }
    endPass();
}

void IoWorker::sendTo(quint64 channel, const QByteArray &frame)
{
    Link *link = m_links.value(channel);
    if (link && !link->closing)
        queue(link, frame);
}

void IoWorker::adopt(Command &command)
{
    auto *link = new Link(m_maxMessageBytes);
    link->id = command.channel;
    link->shared = std::move(command.shared);
    m_links.insert(link->id, link);
    if (command.kind == Command::AdoptDescriptor) {
        link->descriptor = command.descriptor;
        ::fcntl(link->descriptor, F_SETFL, ::fcntl(link->descriptor, F_GETFL) | O_NONBLOCK);
        const int one = 1; // frames are whole messages, batched already: no Nagle delay
        ::setsockopt(link->descriptor, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event event {};
        event.events = interest(false);
        event.data.u64 = link->id;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, link->descriptor, &event) != 0) {
            finish(link->id);
            return;
        }
    } else {
        link->tlsSocket = command.tlsSocket;
        const quint64 id = link->id;
        connect(link->tlsSocket, &QTcpSocket::readyRead, this, [this, id] {
            if (m_readingPaused)
                return; // the bytes wait in the socket; read on resume
            if (Link *tls = m_links.value(id)) {
                readTlsSocket(tls);
                flushEvents();
            }
        });
        connect(link->tlsSocket, &QTcpSocket::bytesWritten, this, [this, id](qint64 written) {
            if (Link *tls = m_links.value(id))
                tls->shared->queuedBytes.fetch_sub(written, std::memory_order_relaxed);
        });
        connect(link->tlsSocket, &QTcpSocket::disconnected, this, [this, id] {
            finish(id);
            flushEvents();
        });
    }
    queueOwn(link, std::move(command.data)); // the 101 answer
    if (!command.pending.isEmpty())
        handleInput(link, command.pending);
    if (link->tlsSocket && link->tlsSocket->bytesAvailable() > 0)
        readTlsSocket(link);
}

void IoWorker::pollReady()
{
    epoll_event events[256];
    const int ready = ::epoll_wait(m_epoll, events, 256, 0);
    for (int i = 0; i < ready; ++i) {
        Link *link = m_links.value(events[i].data.u64);
        if (!link)
            continue;
        if (events[i].events & EPOLLOUT)
            writeDescriptor(link);
        if ((events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && m_links.contains(events[i].data.u64))
            readDescriptor(link);
    }
    endPass();
}

void IoWorker::endPass()
{
    // Everything queued for a connection in this pass leaves in one write.
    const QList<quint64> dirty = std::exchange(m_dirty, {});
    for (quint64 id : dirty) {
        if (Link *link = m_links.value(id)) {
            link->dirty = false;
            flush(link);
        }
    }
    flushEvents();
}

void IoWorker::readDescriptor(Link *link)
{
    qsizetype total = 0;
    while (total < MaxReadPerPass) {
        const ssize_t got = ::read(link->descriptor, m_readBuffer.data(), m_readBuffer.size());
        if (got > 0) {
            total += got;
            if (!link->closing)
                handleInput(link, QByteArrayView(m_readBuffer.constData(), got));
            if (!m_links.contains(link->id))
                return;
            continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got < 0 && errno == EINTR)
            continue;
        finish(link->id); // end of stream or a reset
        return;
    }
}

void IoWorker::readTlsSocket(Link *link)
{
    while (link->tlsSocket->bytesAvailable() > 0) {
        const qint64 got = link->tlsSocket->read(m_readBuffer.data(), m_readBuffer.size());
        if (got <= 0)
            return;
        if (!link->closing)
            handleInput(link, QByteArrayView(m_readBuffer.constData(), got));
        if (!m_links.contains(link->id))
            return;
    }
}

void IoWorker::handleInput(Link *link, QByteArrayView bytes)
{
    QList<Message> messages;
    const bool ok = link->reader.feed(bytes, &messages);
    for (Message &message : messages) {
        switch (message.opcode) {
        case Opcode::Text:
            m_events.append({ Event::Text, link->id, std::move(message.payload) });
            break;
        case Opcode::Binary:
            m_events.append({ Event::Binary, link->id, std::move(message.payload) });
            break;
        case Opcode::Ping:
            queueOwn(link, encodeFrame(Opcode::Pong, message.payload));
            break;
        case Opcode::Close: {
            // Echo the peer's code (RFC 6455 5.5.1), then close our side.
            const quint16 code = message.payload.size() >= 2
                ? quint16((quint8(message.payload[0]) << 8) | quint8(message.payload[1]))
                : quint16(NormalClosure);
            beginClose(link, code);
            return;
        }
        default:
            break;
        }
    }
    if (!ok)
        beginClose(link, link->reader.closeCode());
}

void IoWorker::queueOwn(Link *link, QByteArray bytes)
{
    // The main thread counts the frames it sends; these the worker makes itself.
    link->shared->queuedBytes.fetch_add(bytes.size(), std::memory_order_relaxed);
    queue(link, std::move(bytes));
}

void IoWorker::queue(Link *link, QByteArray bytes)
{
    if (bytes.isEmpty())
        return;
    if (link->tlsSocket) {
        link->tlsSocket->write(bytes);
        return;
    }
    link->out.append(std::move(bytes));
    if (!link->dirty) {
        link->dirty = true;
        m_dirty.append(link->id);
    }
}

void IoWorker::flush(Link *link)
{
    if (link->tlsSocket) {
        if (link->closing)
            link->tlsSocket->disconnectFromHost(); // after what is buffered; then disconnected()
        return;
    }
    if (!link->wantsWrite)
        writeDescriptor(link);
}

void IoWorker::writeDescriptor(Link *link)
{
    while (!link->out.isEmpty()) {
        iovec vectors[MaxIovecs];
        int count = 0;
        for (qsizetype i = 0; i < link->out.size() && count < MaxIovecs; ++i, ++count) {
            const QByteArray &chunk = link->out.at(i);
            const qsizetype skip = i == 0 ? link->outOffset : 0;
            vectors[count].iov_base = const_cast<char *>(chunk.constData()) + skip;
            vectors[count].iov_len = size_t(chunk.size() - skip);
        }
        const ssize_t written = ::writev(link->descriptor, vectors, count);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return setWantsWrite(link, true);
            finish(link->id);
            return;
        }
        link->shared->queuedBytes.fetch_sub(written, std::memory_order_relaxed);
        qsizetype left = written;
        while (left > 0) {
            const qsizetype rest = link->out.first().size() - link->outOffset;
            if (left < rest) {
                link->outOffset += left;
                break;
            }
            left -= rest;
            link->outOffset = 0;
            link->out.removeFirst();
        }
    }
    link->out = QList<QByteArray>(); // an idle connection keeps no queue storage
    setWantsWrite(link, false);
    if (link->closing)
        finish(link->id);
}

void IoWorker::setWantsWrite(Link *link, bool wantsWrite)
{
    if (link->wantsWrite == wantsWrite)
        return;
    link->wantsWrite = wantsWrite;
    updateInterest(link);
}

quint32 IoWorker::interest(bool wantsWrite) const
{
    return (m_readingPaused ? 0u : quint32(EPOLLIN | EPOLLRDHUP)) | (wantsWrite ? quint32(EPOLLOUT) : 0u);
}

void IoWorker::updateInterest(Link *link)
{
    epoll_event event {};
    event.events = interest(link->wantsWrite);
    event.data.u64 = link->id;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, link->descriptor, &event);
}

void IoWorker::setReadingPaused(bool paused)
{
    if (m_readingPaused == paused)
        return;
    m_readingPaused = paused;
    for (Link *link : std::as_const(m_links)) {
        if (link->descriptor >= 0)
            updateInterest(link);
        else if (link->tlsSocket && !paused && link->tlsSocket->bytesAvailable() > 0)
            readTlsSocket(link);
    }
}

void IoWorker::beginClose(Link *link, quint16 code)
{
    if (link->closing)
        return;
    queueOwn(link, encodeClose(code));
    link->closing = true;
    link->closeDeadline = QDeadlineTimer(CloseGraceMs);
    if (!m_closeSweep.isActive())
        m_closeSweep.start(1000, this);
    if (!link->dirty) {
        link->dirty = true;
        m_dirty.append(link->id);
    }
}

void IoWorker::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_closeSweep.timerId())
        return QObject::timerEvent(event);
    bool anyClosing = false;
    const QList<Link *> links = m_links.values();
    for (Link *link : links) {
        if (!link->closing)
            continue;
        if (link->closeDeadline.hasExpired())
            finish(link->id);
        else
            anyClosing = true;
    }
    if (!anyClosing)
        m_closeSweep.stop();
    flushEvents();
}

void IoWorker::finish(quint64 id)
{
    Link *link = m_links.take(id);
    if (!link)
        return;
    if (link->descriptor >= 0) {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, link->descriptor, nullptr);
        ::close(link->descriptor);
    }
    if (link->tlsSocket) {
        link->tlsSocket->disconnect(this);
        link->tlsSocket->abort();
        link->tlsSocket->deleteLater();
    }
    m_events.append({ Event::Closed, id, {} });
    delete link;
}

void IoWorker::flushEvents()
{
    if (!m_events.isEmpty())
        m_sink(std::exchange(m_events, {}));
}

} // namespace Confab::WebSocket
