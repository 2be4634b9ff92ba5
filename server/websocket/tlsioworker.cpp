#include "websocket/tlsioworker.h"

#include <QTcpSocket>

namespace Confab::WebSocket {

struct TlsIoWorker::TlsLink final : Link
{
    using Link::Link;
    QTcpSocket *socket = nullptr; // a QSslSocket; ours
};

TlsIoWorker::TlsIoWorker(qint64 maxMessageBytes, EventSink sink)
    : IoWorker(maxMessageBytes, std::move(sink))
{
}

TlsIoWorker::~TlsIoWorker()
{
    // Taken out first: a socket being deleted emits disconnected(), whose handler would
    // otherwise finish (and free) the link this loop is about to free.
    for (Link *link : takeLinks()) {
        QTcpSocket *socket = static_cast<TlsLink *>(link)->socket;
        socket->disconnect(this);
        delete socket;
        delete link;
    }
}

void TlsIoWorker::adopt(Command &command)
{
    auto *link = new TlsLink(command.channel, m_maxMessageBytes, std::move(command.shared));
    link->socket = command.tlsSocket;
    const quint64 id = link->id;
    connect(link->socket, &QTcpSocket::readyRead, this, [this, id] {
        if (isReadingPaused())
            return; // the bytes wait in the socket; read on resume
        if (auto *found = static_cast<TlsLink *>(this->link(id))) {
            read(found);
            flushEvents();
        }
    });
    connect(link->socket, &QTcpSocket::bytesWritten, this, [this, id](qint64 written) {
        if (Link *found = this->link(id))
            found->shared->queuedBytes.fetch_sub(written, std::memory_order_relaxed);
    });
    connect(link->socket, &QTcpSocket::disconnected, this, [this, id] {
        finish(id);
        flushEvents();
    });
    addLink(link, std::move(command.data), command.pending);
    if (this->link(id) && link->socket->bytesAvailable() > 0)
        read(link);
}

void TlsIoWorker::read(TlsLink *link)
{
    while (link->socket->bytesAvailable() > 0) {
        const qint64 got = link->socket->read(m_readBuffer.data(), m_readBuffer.size());
        if (got <= 0 || !handleInput(link, QByteArrayView(m_readBuffer.constData(), got)))
            return;
    }
}

void TlsIoWorker::queue(Link *link, QByteArray bytes)
{
    static_cast<TlsLink *>(link)->socket->write(bytes); // QSslSocket buffers and encrypts
}

void TlsIoWorker::flush(Link *link)
{
    if (link->closing)
        static_cast<TlsLink *>(link)->socket->disconnectFromHost(); // after what is buffered; then disconnected()
}

void TlsIoWorker::applyReadingPaused(bool paused)
{
    if (paused)
        return;
    const QList<quint64> ids = links().keys();
    for (quint64 id : ids) {
        auto *tls = static_cast<TlsLink *>(link(id));
        if (tls && tls->socket->bytesAvailable() > 0)
            read(tls);
    }
}

void TlsIoWorker::release(Link *link)
{
    QTcpSocket *socket = static_cast<TlsLink *>(link)->socket;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

} // namespace Confab::WebSocket
