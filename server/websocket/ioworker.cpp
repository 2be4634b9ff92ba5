#include "websocket/ioworker.h"

#include <QTcpSocket>
#include <QTimerEvent>

#include <unistd.h>

namespace Confab::WebSocket {

namespace {
constexpr qsizetype ReadChunk = 64 * 1024;
constexpr int CloseGraceMs = 5000; // a peer that stops reading does not hold a closing link
} // namespace

IoWorker::IoWorker(qint64 maxMessageBytes, EventSink sink)
    : m_maxMessageBytes(maxMessageBytes)
    , m_readBuffer(ReadChunk, Qt::Uninitialized)
    , m_sink(std::move(sink))
    , m_commands([this](QList<Command> &&commands) { runCommands(std::move(commands)); })
{
}

IoWorker::~IoWorker()
{
    // The subclass released its links; what was never adopted goes here.
    for (const Command &command : m_commands.takeAll()) {
        if (command.descriptor >= 0)
            ::close(command.descriptor);
        delete command.tlsSocket;
    }
}

void IoWorker::runCommands(QList<Command> &&commands)
{
    for (Command &command : commands) {
        switch (command.kind) {
        case Command::Stop: Q_EMIT stopRequested(); break;
        case Command::AdoptDescriptor:
        case Command::AdoptTlsSocket: adopt(command); break;
        case Command::PauseReading:
        case Command::ResumeReading: setReadingPaused(command.kind == Command::PauseReading); break;
        case Command::Send:
            sendTo(command.channel, command.data);
            for (quint64 channel : std::as_const(command.moreChannels))
                sendTo(channel, command.data);
            break;
        case Command::Close:
            if (Link *found = link(command.channel))
                beginClose(found, command.closeCode);
            break;
        case Command::Abort:
            finish(command.channel); // already gone: its Closed event is on the way
            break;
        }
    }
    endPass();
}

void IoWorker::sendTo(quint64 channel, const QByteArray &frame)
{
    Link *found = m_links.value(channel);
    if (found && !found->closing)
        queue(found, frame);
}

void IoWorker::addLink(Link *link, QByteArray handshakeAnswer, const QByteArray &pending)
{
    m_links.insert(link->id, link);
    queueOwn(link, std::move(handshakeAnswer)); // the 101 answer
    if (!pending.isEmpty())
        handleInput(link, pending);
}

void IoWorker::endPass()
{
    // Everything queued for a connection in this pass leaves in one write.
    const QList<quint64> dirty = std::exchange(m_dirty, {});
    for (quint64 id : dirty) {
        if (Link *found = m_links.value(id)) {
            found->dirty = false;
            flush(found);
        }
    }
    flushEvents();
}

void IoWorker::markDirty(Link *link)
{
    if (!link->dirty) {
        link->dirty = true;
        m_dirty.append(link->id);
    }
}

bool IoWorker::handleInput(Link *link, QByteArrayView bytes)
{
    const quint64 id = link->id; // the link may be gone by the end
    if (link->closing)
        return true;
    QList<Message> messages;
    const bool ok = link->reader.feed(bytes, &messages);
    for (Message &message : messages) {
        switch (message.opcode) {
        case Opcode::Text: m_events.append({ Event::Text, link->id, std::move(message.payload) }); break;
        case Opcode::Binary: m_events.append({ Event::Binary, link->id, std::move(message.payload) }); break;
        case Opcode::Ping: queueOwn(link, encodeFrame(Opcode::Pong, message.payload)); break;
        case Opcode::Close: {
            // Echo the peer's code (RFC 6455 5.5.1), then close our side.
            const quint16 code = message.payload.size() >= 2
                ? quint16((quint8(message.payload[0]) << 8) | quint8(message.payload[1]))
                : quint16(NormalClosure);
            beginClose(link, code);
            return m_links.contains(id);
        }
        default: break;
        }
    }
    if (!ok)
        beginClose(link, link->reader.closeCode());
    return m_links.contains(id);
}

void IoWorker::queueOwn(Link *link, QByteArray bytes)
{
    if (bytes.isEmpty())
        return;
    // The main thread counts the frames it sends; these the worker makes itself.
    link->shared->queuedBytes.fetch_add(bytes.size(), std::memory_order_relaxed);
    queue(link, std::move(bytes));
}

void IoWorker::setReadingPaused(bool paused)
{
    if (m_readingPaused == paused)
        return;
    m_readingPaused = paused;
    applyReadingPaused(paused);
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
    markDirty(link);
}

void IoWorker::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_closeSweep.timerId())
        return QObject::timerEvent(event);
    bool anyClosing = false;
    const QList<Link *> all = m_links.values();
    for (Link *each : all) {
        if (!each->closing)
            continue;
        if (each->closeDeadline.hasExpired())
            finish(each->id);
        else
            anyClosing = true;
    }
    if (!anyClosing)
        m_closeSweep.stop();
    flushEvents();
}

void IoWorker::finish(quint64 id)
{
    Link *found = m_links.take(id);
    if (!found)
        return;
    release(found);
    m_events.append({ Event::Closed, id, {} });
    delete found;
}

void IoWorker::flushEvents()
{
    if (!m_events.isEmpty())
        m_sink(std::exchange(m_events, {}));
}

} // namespace Confab::WebSocket
