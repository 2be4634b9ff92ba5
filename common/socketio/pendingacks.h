// Acks we wait for (either side): a callback per ack id, answered once, by the peer
// or by a timeout.
#pragma once

#include <QBasicTimer>
#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QObject>

#include <functional>
#include <map>
#include <memory>

namespace Confab::SocketIo {

class PendingAcks : public QObject
{
public:
    // Called with the peer's ack arguments, or with timedOut = true.
    using Callback = std::function<void(bool timedOut, const QJsonArray &args, const QList<QByteArray> &attachments)>;

    explicit PendingAcks(QObject *parent = nullptr);
    ~PendingAcks() override;

    // Registers a callback and returns the ack id to send with the event.
    qint64 add(Callback callback, int timeoutMs);
    // The peer answered; false for an unknown or already answered id.
    bool resolve(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments);
    // Answers every pending callback with a timeout (the connection is gone).
    void failAll();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Entry
    {
        Callback callback;
        QBasicTimer timer;
    };
    qint64 m_nextId = 0;
    std::map<qint64, std::unique_ptr<Entry>> m_entries;
};

} // namespace Confab::SocketIo
