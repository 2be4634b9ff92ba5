// The cross-thread hand-overs confabd is built on, under real threads (and, in
// scripts/tsan.sh, under ThreadSanitizer): HandoffQueue keeps each producer's order and
// loses nothing; OffLoopRunner runs work on its threads and answers on the asking one.
#include "api/offloop.h"
#include "util/handoffqueue.h"

#include <QTest>
#include <QThread>

#include <thread>
#include <vector>

class tst_Handoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void manyProducersOneConsumer();
    void offLoopAnswersOnTheAskingThread();
};

void tst_Handoff::manyProducersOneConsumer()
{
    constexpr int Producers = 4, Each = 20000;
    QList<std::pair<int, int>> received;
    int batches = 0;
    Confab::HandoffQueue<std::pair<int, int>> queue([&](QList<std::pair<int, int>> &&items) {
        QCOMPARE(QThread::currentThread(), qApp->thread());
        ++batches;
        received.append(items);
    });
    std::vector<std::thread> producers;
    for (int p = 0; p < Producers; ++p) {
        producers.emplace_back([&queue, p] {
            for (int i = 0; i < Each; ++i) {
                if (i % 100 == 99) { // some in batches, as the I/O workers hand theirs over
                    QList<std::pair<int, int>> batch { { p, i } };
                    queue.push(std::move(batch));
                } else {
                    queue.push({ p, i });
                }
            }
        });
    }
    for (std::thread &producer : producers)
        producer.join();
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), qsizetype(Producers * Each), 20000);
    std::vector<int> next(Producers, 0);
    for (const auto &[producer, value] : std::as_const(received)) {
        QCOMPARE(value, next[size_t(producer)]); // each producer's order is kept
        ++next[size_t(producer)];
    }
    QVERIFY(batches < Producers * Each); // woken once per batch, not once per item
}

void tst_Handoff::offLoopAnswersOnTheAskingThread()
{
    Confab::Api::OffLoopRunner runner(3);
    QHash<int, qlonglong> answers;
    QSet<Qt::HANDLE> workThreads;
    QMutex workThreadsMutex;
    for (int i = 0; i < 200; ++i) {
        runner.run(
            [i, &workThreads, &workThreadsMutex] {
                QMutexLocker locker(&workThreadsMutex);
                workThreads.insert(QThread::currentThreadId());
                return QVariant(qlonglong(i) * i);
            },
            [i, &answers](const QVariant &result) {
                QCOMPARE(QThread::currentThread(), qApp->thread());
                answers.insert(i, result.toLongLong());
            });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), qsizetype(200), 20000);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(answers.value(i), qlonglong(i) * i);
    QMutexLocker locker(&workThreadsMutex);
    QVERIFY(!workThreads.contains(QThread::currentThreadId()));
}

QTEST_GUILESS_MAIN(tst_Handoff)
#include "tst_handoff.moc"
