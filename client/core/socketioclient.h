// A Socket.IO v5 client on one Engine.IO connection: several namespaces multiplexed,
// events both ways, acks with timeouts both ways, binary attachments.
#pragma once

#include "engineioclient.h"
#include "socketio/binary.h"
#include "socketio/pendingacks.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>

namespace Confab::Client {

class SocketIoClient : public QObject
{
    Q_OBJECT
public:
    // Called with the server's ack arguments, or with timedOut = true.
    using AckCallback = SocketIo::PendingAcks::Callback;

    explicit SocketIoClient(QObject *parent = nullptr);
    ~SocketIoClient() override;

    EngineIoClient *engine() { return &m_engine; }
    bool isConnected(const QString &nsp = QStringLiteral("/")) const { return m_connected.contains(nsp); }

    // Opens the Engine.IO connection if needed and connects the namespace with auth.
    void connectNamespace(const QString &nsp = QStringLiteral("/"), const QJsonObject &auth = {});
    void disconnectNamespace(const QString &nsp = QStringLiteral("/"));
    void close();

    void emitEvent(const QString &nsp, const QString &event, const QJsonArray &args,
                   const QList<QByteArray> &attachments = {});
    void emitWithAck(const QString &nsp, const QString &event, const QJsonArray &args, AckCallback callback,
                     int timeoutMs = 10000, const QList<QByteArray> &attachments = {});
    // Answers a server event that asked for an ack (ackId >= 0).
    void sendAck(const QString &nsp, qint64 ackId, const QJsonArray &args, const QList<QByteArray> &attachments = {});

Q_SIGNALS:
    void connected(const QString &nsp, const QString &sid);
    void connectError(const QString &nsp, const QJsonObject &data);
    // ackId >= 0 when the server waits for sendAck().
    void eventReceived(const QString &nsp, const QString &event, const QJsonArray &args,
                       const QList<QByteArray> &attachments, qint64 ackId);
    void disconnected(const QString &nsp, const QString &reason);

private:
    void sendPacket(const SocketIo::Packet &packet);
    void handleText(const QByteArray &text);
    void handleBinary(const QByteArray &bytes);
    void dispatch(const SocketIo::Packet &packet);
    void handleClosed(const QString &reason);

    EngineIoClient m_engine;
    SocketIo::BinaryAssembler m_assembler;
    QHash<QString, QJsonObject> m_wanted; // namespaces to connect once the engine is open
    QHash<QString, QString> m_connected;  // namespace -> socket id
    SocketIo::PendingAcks m_pendingAcks;
};

} // namespace Confab::Client
