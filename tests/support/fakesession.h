// An in-process Engine.IO session for tests: no socket, no event loop needed to move
// bytes. What the server sends is kept (and decoded back into Socket.IO packets, as a
// client would see them); what a client would send is injected. The backlog and the
// budget are set by the test, to drive backpressure rules.
#pragma once

#include "engineio/session.h"
#include "socketio/packet.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Confab::Testing {

class FakeSession : public EngineIo::Session
{
    Q_OBJECT
public:
    explicit FakeSession(const QByteArray &id = "fake", QObject *parent = nullptr);

    QByteArray id() const override { return m_id; }
    bool isOpen() const override { return m_open; }
    qint64 queuedBytes() const override { return m_queuedBytes; }
    qint64 outboundBudget() const override { return m_budget; }
    void send(const EngineIo::OutboundPacket &packet) override;
    void close(const QString &reason) override;
    void closeAfterFlush(const QString &reason) override;

    // The test's side.
    void setQueuedBytes(qint64 bytes) { m_queuedBytes = bytes; }
    void setOutboundBudget(qint64 bytes) { m_budget = bytes; }
    // As if the client had sent it.
    void receiveText(const QByteArray &message) { Q_EMIT textReceived(message); }
    void receiveBinary(const QByteArray &bytes) { Q_EMIT binaryReceived(bytes); }
    // As if the connection had gone.
    void drop(const QString &reason = QStringLiteral("transport close"));

    // Everything sent, as Engine.IO packets (their encodings shared with the sender's).
    const QList<EngineIo::OutboundPacket> &sent() const { return m_sent; }
    // The same as the Socket.IO packets a client decodes (attachments reassembled).
    QList<SocketIo::Packet> packets() const;
    QString closeReason() const { return m_closeReason; }
    bool wasClosedAfterFlush() const { return m_closedAfterFlush; }

private:
    QByteArray m_id;
    bool m_open = true;
    qint64 m_queuedBytes = 0;
    qint64 m_budget = 2 * 1024 * 1024;
    QList<EngineIo::OutboundPacket> m_sent;
    QString m_closeReason;
    bool m_closedAfterFlush = false;
};

// A Socket.IO client over a FakeSession: connects namespaces, emits events with ack
// ids, and reads back the acks and events the server sent.
class FakeClient
{
public:
    explicit FakeClient(FakeSession *session)
        : m_session(session)
    {
    }

    FakeSession *session() const { return m_session; }
    void connectNamespace(const QJsonObject &auth, const QString &nsp = QStringLiteral("/"));
    // Emits `event` with `payload` asking for an ack; returns the ack id.
    qint64 emitEvent(const QString &event, const QJsonValue &payload, const QString &nsp = QStringLiteral("/"));
    // The answer to ack id `id` (its first argument), if the server sent one.
    std::optional<QJsonValue> ack(qint64 id) const;
    // The first argument of every event `event` the server sent, in order.
    QList<QJsonValue> events(const QString &event) const;
    // The CONNECT or CONNECT_ERROR answer, if any.
    std::optional<SocketIo::Packet> connectAnswer(const QString &nsp = QStringLiteral("/")) const;

private:
    FakeSession *m_session;
    qint64 m_nextAckId = 0;
};

} // namespace Confab::Testing
