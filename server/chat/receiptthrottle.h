// Coalesces the receipt broadcasts of a node (protocol v2, "Receipts, coalesced"): each
// member hears at most one receipt per (room, user, kind) every IntervalMs, carrying the
// highest seq. The first receipt of a quiet key goes out at once (a tick shows without
// delay); those that follow within the interval wait, and only the newest goes when it
// ends. A receiver sending a receipt for each message it reads would otherwise cost a
// broadcast to the whole room per message per member: most of a busy room's traffic.
#pragma once

#include "chat/values.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <functional>

namespace Confab::Chat {

class ReceiptThrottle : public QObject
{
public:
    static constexpr int IntervalMs = 250;

    explicit ReceiptThrottle(std::function<void(const ReceiptEvent &)> publish, QObject *parent = nullptr);

    // Publishes the receipt now, or keeps its seq (the highest of those waiting) for the
    // end of the key's interval.
    void add(const ReceiptEvent &receipt);

    qsizetype waitingCount() const { return m_waiting; }
    // Whether a key sent within the last interval (a tick is running to end it).
    bool isActive() const { return m_tick.isActive(); }
    qint64 coalescedCount() const { return m_coalesced; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Key
    {
        QString room;
        QString user;
        ReceiptKind kind;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, key.room, key.user, int(key.kind));
        }
    };
    struct Slot
    {
        qint64 sentAtMs = 0;
        qint64 sentSeq = 0;
        qint64 waitingSeq = 0; // 0: nothing waiting; else above sentSeq
    };

    std::function<void(const ReceiptEvent &)> m_publish;
    QHash<Key, Slot> m_slots; // keys that sent within the last interval
    qsizetype m_waiting = 0;
    qint64 m_coalesced = 0;
    QElapsedTimer m_clock;
    QBasicTimer m_tick;
};

} // namespace Confab::Chat
