#include "chat/readorder.h"

#include <QTimerEvent>
#include <limits>
#include <utility>

namespace Confab::Chat {

namespace {

constexpr int ExpiryCheckMs = 100;

} // namespace

ReadOrder::ReadOrder(std::function<void(const Read &)> deliver, QObject *parent)
    : QObject(parent)
    , m_deliver(std::move(deliver))
{
    m_clock.start();
}

ReadOrder::Verdict ReadOrder::arrive(const Read &read)
{
    const auto delivered = m_deliveredSeq.constFind(read.room);
    // No message of the room has gone out here since the node followed it: nothing to
    // order against (and holding every first read would delay it for nothing).
    if (delivered == m_deliveredSeq.cend() || *delivered == read.countedUpTo)
        return Verdict::Deliver;
    if (*delivered > read.countedUpTo)
        return Verdict::Recount;
    m_held[read.room].append({ read, m_clock.elapsed() });
    ++m_heldCount;
    if (!m_expiry.isActive())
        m_expiry.start(ExpiryCheckMs, Qt::CoarseTimer, this);
    return Verdict::Held;
}

void ReadOrder::messageDelivered(const QString &room, qint64 seq)
{
    qint64 &delivered = m_deliveredSeq[room];
    delivered = std::max(delivered, seq);
    if (m_heldCount > 0 && m_held.contains(room))
        release(room, delivered, -1);
}

void ReadOrder::forgetRoom(const QString &room)
{
    m_deliveredSeq.remove(room);
    if (m_held.contains(room))
        release(room, std::numeric_limits<qint64>::max(), -1);
}

void ReadOrder::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_expiry.timerId())
        return QObject::timerEvent(event);
    const qint64 olderThan = m_clock.elapsed() - MaxHoldMs;
    for (const QString &room : m_held.keys())
        release(room, -1, olderThan);
    if (m_heldCount == 0)
        m_expiry.stop();
}

// Delivers, in arrival order, the room's held reads counted up to `upToSeq` or held
// since before `olderThanMs`.
void ReadOrder::release(const QString &room, qint64 upToSeq, qint64 olderThanMs)
{
    const auto held = m_held.find(room);
    if (held == m_held.end())
        return;
    QList<Read> due;
    QList<Held> &waiting = *held;
    for (qsizetype i = 0; i < waiting.size();) {
        if (waiting.at(i).read.countedUpTo <= upToSeq || waiting.at(i).heldAtMs <= olderThanMs) {
            due.append(waiting.takeAt(i).read);
            --m_heldCount;
        } else {
            ++i;
        }
    }
    if (waiting.isEmpty())
        m_held.erase(held);
    for (const Read &read : std::as_const(due))
        m_deliver(read);
}

} // namespace Confab::Chat
