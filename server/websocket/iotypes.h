// What the main thread and the I/O workers pass each other about WebSocket connections.
#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Confab::WebSocket {

// Shared by a connection's Channel (main thread) and its link (worker): the bytes handed
// to the worker and not yet taken by the kernel (or the TLS socket's peer).
struct ChannelShared
{
    std::atomic<qint64> queuedBytes { 0 };
};

// Main thread → worker.
struct Command
{
    enum Kind { AdoptDescriptor, AdoptTlsSocket, Send, Close, Abort, PauseReading, ResumeReading, Stop };
    // Send: `data` to `channel` and to every one in `moreChannels` (a broadcast shares one
    // command and one frame across its recipients on a worker).
    Command(Kind kind, quint64 channel, QByteArray data = {})
        : kind(kind)
        , channel(channel)
        , data(std::move(data))
    {
    }
    Kind kind;
    quint64 channel;
    QList<quint64> moreChannels;
    QByteArray data;    // Send: a frame; Adopt: the handshake answer to write first
    QByteArray pending; // Adopt: bytes read past the handshake, to parse first
    quint16 closeCode = 1000;
    int descriptor = -1;             // AdoptDescriptor
    QTcpSocket *tlsSocket = nullptr; // AdoptTlsSocket, already moved to the worker's thread
    std::shared_ptr<ChannelShared> shared;
};

// Worker → main thread.
struct Event
{
    enum Kind { Text, Binary, Closed };
    Kind kind;
    quint64 channel;
    QByteArray data;
};

} // namespace Confab::WebSocket
