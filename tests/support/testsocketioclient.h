// Test support: a minimal Socket.IO client over QWebSocket, built on our own codecs,
// so Qt tests can drive a real server without the (separate) client library.
#pragma once

#include "socketio/packet.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QWebSocket>

namespace Confab::Testing {

class TestSocketIoClient : public QObject
{
    Q_OBJECT
public:
    explicit TestSocketIoClient(QObject *parent = nullptr);

    void open(const QUrl &serverUrl, const QJsonObject &auth);
    // Emits an event with an ack id; the answer arrives as acked(id, args).
    qint64 emitWithAck(const QString &event, const QJsonObject &payload);
    void close() { m_socket.close(); }

Q_SIGNALS:
    void connected();
    void connectError(const QJsonObject &data);
    void eventReceived(const QString &event, const QJsonArray &args);
    void acked(qint64 id, const QJsonArray &args);
    void disconnected();

private:
    void handleText(const QString &text);

    QWebSocket m_socket;
    QJsonObject m_auth;
    qint64 m_nextAckId = 0;
};

// Registers an account over HTTP and returns its token (empty on failure).
QString registerUser(const QUrl &serverUrl, const QString &username, const QString &password);

} // namespace Confab::Testing
