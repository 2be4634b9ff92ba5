// The acknowledgement callback handed to an event handler: answers the client's ack id
// at most once. Cheap to copy; safe to call after the socket is gone (does nothing).
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QPointer>

namespace Confab::Realtime {

class Socket;

class Ack
{
public:
    Ack() = default;
    Ack(Socket *socket, qint64 id);

    bool isRequested() const { return m_id >= 0; }
    // Sends the ack's arguments (binary attachments as placeholders + buffers).
    void send(const QJsonArray &args, const QList<QByteArray> &attachments = {}) const;

private:
    QPointer<Socket> m_socket;
    qint64 m_id = -1;
    std::shared_ptr<bool> m_sent;
};

} // namespace Confab::Realtime
