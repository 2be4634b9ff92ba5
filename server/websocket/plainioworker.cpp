#include "websocket/plainioworker.h"

#include <QSocketNotifier>

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
constexpr qsizetype MaxReadPerPass = 4 * 64 * 1024; // then the next connection's turn
constexpr int MaxIovecs = 64;
} // namespace

struct PlainIoWorker::PlainLink final : Link
{
    using Link::Link;
    int descriptor = -1;
    QList<QByteArray> out;   // frames not yet written; shared with the main thread's copies
    qsizetype outOffset = 0; // into out.first()
    bool wantsWrite = false; // EPOLLOUT registered
};

PlainIoWorker::PlainIoWorker(qint64 maxMessageBytes, EventSink sink)
    : IoWorker(maxMessageBytes, std::move(sink))
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    Q_ASSERT(m_epoll >= 0);
    m_epollNotifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_epollNotifier, &QSocketNotifier::activated, this, &PlainIoWorker::pollReady);
}

PlainIoWorker::~PlainIoWorker()
{
    for (Link *link : takeLinks()) {
        ::close(static_cast<PlainLink *>(link)->descriptor);
        delete link;
    }
    delete m_epollNotifier;
    ::close(m_epoll);
}

void PlainIoWorker::adopt(Command &command)
{
    auto *link = new PlainLink(command.channel, m_maxMessageBytes, std::move(command.shared));
    link->descriptor = command.descriptor;
    ::fcntl(link->descriptor, F_SETFL, ::fcntl(link->descriptor, F_GETFL) | O_NONBLOCK);
    const int one = 1; // frames are whole messages, batched already: no Nagle delay
    ::setsockopt(link->descriptor, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event event {};
    event.events = interest(false);
    event.data.u64 = link->id;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, link->descriptor, &event) != 0) {
        addLink(link, {}, {});
        finish(link->id);
        return;
    }
    addLink(link, std::move(command.data), command.pending);
}

void PlainIoWorker::pollReady()
{
    epoll_event events[256];
    const int ready = ::epoll_wait(m_epoll, events, 256, 0);
    for (int i = 0; i < ready; ++i) {
        auto *found = static_cast<PlainLink *>(link(events[i].data.u64));
        if (!found)
            continue;
        if (events[i].events & EPOLLOUT)
            write(found);
        if ((events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && link(events[i].data.u64))
            read(found);
    }
    endPass();
}

void PlainIoWorker::read(PlainLink *link)
{
    qsizetype total = 0;
    while (total < MaxReadPerPass) {
        const ssize_t got = ::read(link->descriptor, m_readBuffer.data(), m_readBuffer.size());
        if (got > 0) {
            total += got;
            if (!handleInput(link, QByteArrayView(m_readBuffer.constData(), got)))
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

void PlainIoWorker::queue(Link *link, QByteArray bytes)
{
    static_cast<PlainLink *>(link)->out.append(std::move(bytes));
    markDirty(link);
}

void PlainIoWorker::flush(Link *link)
{
    auto *plain = static_cast<PlainLink *>(link);
    if (!plain->wantsWrite)
        write(plain);
}

void PlainIoWorker::write(PlainLink *link)
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

void PlainIoWorker::setWantsWrite(PlainLink *link, bool wantsWrite)
{
    if (link->wantsWrite == wantsWrite)
        return;
    link->wantsWrite = wantsWrite;
    updateInterest(link);
}

quint32 PlainIoWorker::interest(bool wantsWrite) const
{
    return (isReadingPaused() ? 0u : quint32(EPOLLIN | EPOLLRDHUP)) | (wantsWrite ? quint32(EPOLLOUT) : 0u);
}

void PlainIoWorker::updateInterest(PlainLink *link)
{
    epoll_event event {};
    event.events = interest(link->wantsWrite);
    event.data.u64 = link->id;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, link->descriptor, &event);
}

void PlainIoWorker::applyReadingPaused(bool paused)
{
    Q_UNUSED(paused); // interest() reads it
    for (Link *each : links())
        updateInterest(static_cast<PlainLink *>(each));
}

void PlainIoWorker::release(Link *link)
{
    auto *plain = static_cast<PlainLink *>(link);
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, plain->descriptor, nullptr);
    ::close(plain->descriptor);
}

} // namespace Confab::WebSocket
