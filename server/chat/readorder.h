// Keeps a read event behind the messages it counted. A read event's unread and mention
// counts cover the room's messages up to the seq the store had when it counted them. In
// a cluster the event travels on the broadcast channel while messages travel on their
// rooms' channels, so a node can receive it before a message it counted (the user's
// client would count that message a second time) or after one it did not count (the
// client would set its badge below the truth). This node holds a read until it has
// delivered the room's messages up to that seq, and says when a later message went out
// first, so the counts must be asked for again.
#pragma once

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <functional>

namespace Confab::Chat {

class ReadOrder : public QObject
{
public:
    struct Read
    {
        QString room {};
        QString user {};
        qint64 countedUpTo = 0; // the room's last seq when the counts were taken
        QJsonObject event {};   // the read event as the user's connections get it
    };
    enum class Verdict {
        Deliver, // nothing it counted is still on its way: deliver now
        Held,    // delivered through the callback once this node has sent what it counted
        Recount, // messages it did not count went out first: ask the store again
    };
    // A message lost with its node never arrives here (clients fetch it; fetched
    // messages are not counted again), so a read is held at most this long.
    static constexpr int MaxHoldMs = 1000;

    explicit ReadOrder(std::function<void(const Read &)> deliver, QObject *parent = nullptr);

    Verdict arrive(const Read &read);
    // A message of `room` went out to this node's connections.
    void messageDelivered(const QString &room, qint64 seq);
    // This node stopped following the room: what it delivered there no longer says anything.
    void forgetRoom(const QString &room);

    qsizetype heldCount() const { return m_heldCount; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Held
    {
        Read read {};
        qint64 heldAtMs = 0;
    };
    void release(const QString &room, qint64 upToSeq, qint64 olderThanMs);

    std::function<void(const Read &)> m_deliver;
    QHash<QString, qint64> m_deliveredSeq; // per followed room, the highest seq sent out here
    QHash<QString, QList<Held>> m_held;
    qsizetype m_heldCount = 0;
    QElapsedTimer m_clock;
    QBasicTimer m_expiry;
};

} // namespace Confab::Chat
