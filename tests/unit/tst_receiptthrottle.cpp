// ReceiptThrottle: the first receipt of a (room, user, kind) goes at once, those that
// follow within the interval go as one carrying the highest seq, keys never wait for
// each other, and a key quiet for a whole interval sends at once again.
#include "chat/receiptthrottle.h"

#include <QSignalSpy>
#include <QTest>

using Confab::Chat::ReceiptEvent;
using Confab::Chat::ReceiptKind;
using Confab::Chat::ReceiptThrottle;

class tst_ReceiptThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstGoesAtOnceTheRestAsOneWithTheHighestSeq();
    void keysDoNotWaitForEachOther();
    void aQuietKeySendsAtOnceAgain();
    void aLowerSeqNeverGoesOutAfterAHigherOne();

private:
    static ReceiptEvent receipt(const QString &user, qint64 seq, ReceiptKind kind = ReceiptKind::Read,
                                const QString &room = QStringLiteral("lobby"))
    {
        return { room, user, seq, kind };
    }
    QList<ReceiptEvent> m_sent;
    std::function<void(const ReceiptEvent &)> collect()
    {
        m_sent.clear();
        return [this](const ReceiptEvent &receipt) { m_sent.append(receipt); };
    }
};

void tst_ReceiptThrottle::firstGoesAtOnceTheRestAsOneWithTheHighestSeq()
{
    ReceiptThrottle throttle(collect());
    // One turn of the event loop: the interval cannot end between these.
    for (qint64 seq = 1; seq <= 10; ++seq)
        throttle.add(receipt(QStringLiteral("ann"), seq));
    QCOMPARE(m_sent.size(), 1);
    QCOMPARE(m_sent.at(0).seq, qint64(1));
    QCOMPARE(throttle.waitingCount(), 1);
    QTRY_COMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent.at(1).seq, qint64(10));
    QCOMPARE(m_sent.at(1).user, QStringLiteral("ann"));
    QCOMPARE(m_sent.at(1).room, QStringLiteral("lobby"));
    QCOMPARE(m_sent.at(1).kind, ReceiptKind::Read);
    QCOMPARE(throttle.waitingCount(), 0);
    QCOMPARE(throttle.coalescedCount(), qint64(8)); // 2..9 never went out on their own
}

void tst_ReceiptThrottle::keysDoNotWaitForEachOther()
{
    ReceiptThrottle throttle(collect());
    throttle.add(receipt(QStringLiteral("ann"), 3));
    throttle.add(receipt(QStringLiteral("bob"), 3));
    throttle.add(receipt(QStringLiteral("ann"), 3, ReceiptKind::Delivered));
    throttle.add(receipt(QStringLiteral("ann"), 3, ReceiptKind::Read, QStringLiteral("other")));
    QCOMPARE(m_sent.size(), 4);
    QCOMPARE(throttle.waitingCount(), 0);
}

void tst_ReceiptThrottle::aQuietKeySendsAtOnceAgain()
{
    ReceiptThrottle throttle(collect());
    throttle.add(receipt(QStringLiteral("ann"), 1));
    // Nothing waits: once the interval has passed, the key is forgotten and the timer stops.
    QTRY_COMPARE(throttle.isActive(), false);
    throttle.add(receipt(QStringLiteral("ann"), 2));
    QCOMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent.at(1).seq, qint64(2));
}

void tst_ReceiptThrottle::aLowerSeqNeverGoesOutAfterAHigherOne()
{
    ReceiptThrottle throttle(collect());
    throttle.add(receipt(QStringLiteral("ann"), 5));
    throttle.add(receipt(QStringLiteral("ann"), 9));
    throttle.add(receipt(QStringLiteral("ann"), 7)); // a client's late retry of an older one
    QTRY_COMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent.at(1).seq, qint64(9));
}

QTEST_GUILESS_MAIN(tst_ReceiptThrottle)
#include "tst_receiptthrottle.moc"
