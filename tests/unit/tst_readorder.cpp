// ReadOrder: a read event waits for the messages it counted, goes at once when nothing it
// counted is on its way, asks for a recount when messages it did not count went first,
// and is never held past MaxHoldMs (a message lost with its node never comes).
#include "chat/readorder.h"

#include <QSignalSpy>
#include <QTest>

using Confab::Chat::ReadOrder;

class tst_ReadOrder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliversAtOnceInARoomWithNothingDeliveredYet();
    void holdsUntilTheMessagesItCountedWentOut();
    void asksForARecountWhenLaterMessagesWentFirst();
    void keepsArrivalOrderAndRoomsApart();
    void releasesWhenTheNodeStopsFollowingTheRoom();
    void neverHoldsLongerThanTheLimit();

private:
    static ReadOrder::Read read(const QString &room, qint64 countedUpTo)
    {
        return { room, QStringLiteral("ann"), countedUpTo, { { QStringLiteral("readSeq"), countedUpTo } } };
    }
    QList<ReadOrder::Read> m_delivered;
    std::function<void(const ReadOrder::Read &)> collect()
    {
        m_delivered.clear();
        return [this](const ReadOrder::Read &read) { m_delivered.append(read); };
    }
};

void tst_ReadOrder::deliversAtOnceInARoomWithNothingDeliveredYet()
{
    ReadOrder order(collect());
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 7)), ReadOrder::Verdict::Deliver);
    order.messageDelivered(QStringLiteral("lobby"), 7);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 7)), ReadOrder::Verdict::Deliver);
    QCOMPARE(order.heldCount(), 0);
    QVERIFY(m_delivered.isEmpty()); // Deliver means the caller sends it
}

void tst_ReadOrder::holdsUntilTheMessagesItCountedWentOut()
{
    ReadOrder order(collect());
    order.messageDelivered(QStringLiteral("lobby"), 3);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 5)), ReadOrder::Verdict::Held);
    order.messageDelivered(QStringLiteral("lobby"), 4);
    QVERIFY(m_delivered.isEmpty());
    order.messageDelivered(QStringLiteral("lobby"), 5);
    QCOMPARE(m_delivered.size(), 1);
    QCOMPARE(m_delivered.first().countedUpTo, qint64(5));
    QCOMPARE(order.heldCount(), 0);
}

void tst_ReadOrder::asksForARecountWhenLaterMessagesWentFirst()
{
    ReadOrder order(collect());
    order.messageDelivered(QStringLiteral("lobby"), 9);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 8)), ReadOrder::Verdict::Recount);
    QCOMPARE(order.heldCount(), 0);
}

void tst_ReadOrder::keepsArrivalOrderAndRoomsApart()
{
    ReadOrder order(collect());
    order.messageDelivered(QStringLiteral("lobby"), 1);
    order.messageDelivered(QStringLiteral("dev"), 1);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 3)), ReadOrder::Verdict::Held);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 2)), ReadOrder::Verdict::Held);
    QCOMPARE(order.arrive(read(QStringLiteral("dev"), 2)), ReadOrder::Verdict::Held);
    order.messageDelivered(QStringLiteral("lobby"), 3);
    QCOMPARE(m_delivered.size(), 2);
    QCOMPARE(m_delivered.at(0).countedUpTo, qint64(3));
    QCOMPARE(m_delivered.at(1).countedUpTo, qint64(2));
    QCOMPARE(order.heldCount(), 1); // dev's still waits
}

void tst_ReadOrder::releasesWhenTheNodeStopsFollowingTheRoom()
{
    ReadOrder order(collect());
    order.messageDelivered(QStringLiteral("lobby"), 1);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 4)), ReadOrder::Verdict::Held);
    order.forgetRoom(QStringLiteral("lobby"));
    QCOMPARE(m_delivered.size(), 1);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 9)), ReadOrder::Verdict::Deliver);
}

void tst_ReadOrder::neverHoldsLongerThanTheLimit()
{
    ReadOrder order(collect());
    order.messageDelivered(QStringLiteral("lobby"), 1);
    QCOMPARE(order.arrive(read(QStringLiteral("lobby"), 2)), ReadOrder::Verdict::Held);
    QTRY_COMPARE_WITH_TIMEOUT(m_delivered.size(), 1, ReadOrder::MaxHoldMs * 5);
    QCOMPARE(order.heldCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ReadOrder)
#include "tst_readorder.moc"
