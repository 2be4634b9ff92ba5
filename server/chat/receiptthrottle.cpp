#include "chat/receiptthrottle.h"

#include <QList>
#include <QTimerEvent>

#include <algorithm>
#include <utility>

namespace Confab::Chat {

namespace {

// How often waiting receipts are looked at: a receipt waits at most this much past its
// key's interval, and a tick costs one pass over the keys that sent recently.
constexpr int TickMs = ReceiptThrottle::IntervalMs / 5;

} // namespace

ReceiptThrottle::ReceiptThrottle(std::function<void(const ReceiptEvent &)> publish, QObject *parent)
    : QObject(parent)
    , m_publish(std::move(publish))
{
    m_clock.start();
}

void ReceiptThrottle::add(const ReceiptEvent &receipt)
{
    const qint64 now = m_clock.elapsed();
    if (!m_tick.isActive())
        m_tick.start(TickMs, Qt::PreciseTimer, this);
    const Key key { receipt.room, receipt.user, receipt.kind };
    const auto slot = m_slots.find(key);
    if (slot == m_slots.end()) {
        m_slots.insert(key, { now, receipt.seq, 0 });
        m_publish(receipt);
        return;
    }
    const qint64 highest = std::max(receipt.seq, slot->waitingSeq);
    if (highest <= slot->sentSeq) { // a late or repeated one: members already have newer
        ++m_coalesced;
        return;
    }
    if (now - slot->sentAtMs >= IntervalMs) { // the tick has not come round yet
        if (slot->waitingSeq > 0) {
            --m_waiting;
            ++m_coalesced;
        }
        *slot = { now, highest, 0 };
        m_publish({ receipt.room, receipt.user, highest, receipt.kind });
        return;
    }
    if (slot->waitingSeq > 0)
        ++m_coalesced;
    else
        ++m_waiting;
    slot->waitingSeq = highest;
}

void ReceiptThrottle::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_tick.timerId())
        return QObject::timerEvent(event);
    const qint64 now = m_clock.elapsed();
    QList<ReceiptEvent> due; // published once the keys are walked: publishing may reach add()
    for (auto slot = m_slots.begin(); slot != m_slots.end();) {
        if (now - slot->sentAtMs < IntervalMs) {
            ++slot;
        } else if (slot->waitingSeq > 0) {
            due.append({ slot.key().room, slot.key().user, slot->waitingSeq, slot.key().kind });
            *slot = { now, slot->waitingSeq, 0 };
            --m_waiting;
            ++slot;
        } else {
            slot = m_slots.erase(slot); // quiet for a whole interval: the next one goes at once
        }
    }
    if (m_slots.isEmpty())
        m_tick.stop();
    for (const ReceiptEvent &receipt : std::as_const(due))
        m_publish(receipt);
}

} // namespace Confab::Chat
