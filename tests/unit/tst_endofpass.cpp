// EndOfPass, the per-pass batching of the store's commits, poll answers, hand-overs to
// the I/O workers and Redis pipelines: one run per pass however often asked, after what
// was already posted, again in a later pass when asked while running, never after its
// owner is gone. QCoreApplication::sendPostedEvents() stands for the end of one pass
// (events posted while it runs wait for the next call, as for the next pass).
#include "util/endofpass.h"

#include <QTest>

using Confab::EndOfPass;

namespace {

// An owner as the server's are: items queued during a pass, written out in one batch.
class Batcher : public QObject
{
public:
    explicit Batcher(int *runs = nullptr)
        : m_runs(runs)
    {
    }

    void add(int item)
    {
        m_pending.append(item);
        m_flush.schedule();
    }
    bool isScheduled() const { return m_flush.isScheduled(); }

    QList<QList<int>> batches;
    int addWhileFlushing = -1; // >= 0: flush() adds this once

private:
    void flush()
    {
        if (m_runs)
            ++*m_runs;
        batches.append(std::exchange(m_pending, {}));
        if (addWhileFlushing >= 0)
            add(std::exchange(addWhileFlushing, -1));
    }

    int *m_runs;
    QList<int> m_pending;
    EndOfPass<Batcher> m_flush { this, &Batcher::flush };
};

void endThePass()
{
    QCoreApplication::sendPostedEvents();
}

} // namespace

class tst_EndOfPass : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneRunPerPass_data();
    void oneRunPerPass();
    void takesInWhatWasPostedBefore();
    void askedWhileRunningRunsNextPass();
    void goesWithItsOwner();
};

void tst_EndOfPass::oneRunPerPass_data()
{
    QTest::addColumn<int>("requests");
    QTest::newRow("one") << 1;
    QTest::newRow("two") << 2;
    QTest::newRow("a broadcast's worth") << 1000;
}

void tst_EndOfPass::oneRunPerPass()
{
    QFETCH(int, requests);
    Batcher batcher;
    QList<int> expected;
    for (int i = 0; i < requests; ++i) {
        batcher.add(i);
        expected.append(i);
    }
    QVERIFY(batcher.isScheduled());
    QVERIFY(batcher.batches.isEmpty()); // never at once: the pass is not over
    endThePass();
    QCOMPARE(batcher.batches, QList<QList<int>> { expected });
    QVERIFY(!batcher.isScheduled());
    endThePass();
    QCOMPARE(batcher.batches.size(), 1); // nothing asked, nothing run
}

void tst_EndOfPass::takesInWhatWasPostedBefore()
{
    // Work already waiting in this pass (another socket's read) joins the batch.
    Batcher batcher;
    QMetaObject::invokeMethod(
        &batcher, [&batcher] { batcher.add(2); }, Qt::QueuedConnection);
    batcher.add(1);
    endThePass();
    QCOMPARE(batcher.batches, (QList<QList<int>> { { 1, 2 } }));
}

void tst_EndOfPass::askedWhileRunningRunsNextPass()
{
    Batcher batcher;
    batcher.addWhileFlushing = 2;
    batcher.add(1);
    endThePass();
    QCOMPARE(batcher.batches, (QList<QList<int>> { { 1 } }));
    QVERIFY(batcher.isScheduled());
    endThePass();
    QCOMPARE(batcher.batches, (QList<QList<int>> { { 1 }, { 2 } }));
}

void tst_EndOfPass::goesWithItsOwner()
{
    int runs = 0;
    auto *batcher = new Batcher(&runs);
    batcher->add(1);
    delete batcher;
    endThePass();
    QCOMPARE(runs, 0);
}

QTEST_GUILESS_MAIN(tst_EndOfPass)
#include "tst_endofpass.moc"
