// The reconnect policy: full-jitter bounds, spread, and advice.
#include "util/backoff.h"

#include <QTest>

#include <cmath>

using namespace Confab;

class tst_Backoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void staysWithinFullJitterBounds();
    void spreadsOverTheWholeRange();
    void clientsAreNotInLockstep();
    void honoursAdvice();
};

void tst_Backoff::staysWithinFullJitterBounds()
{
    QRandomGenerator random(1);
    const Backoff backoff({ 500, 30000 }, &random);
    for (int attempt = 0; attempt < 40; ++attempt) {
        const int ceiling = std::min(30000, attempt < 20 ? 500 << attempt : 30000);
        QCOMPARE(backoff.ceilingMs(attempt), ceiling);
        for (int draw = 0; draw < 500; ++draw) {
            const int delay = backoff.delayMs(attempt);
            QVERIFY(delay >= 0);
            QVERIFY(delay <= ceiling);
        }
    }
}

void tst_Backoff::spreadsOverTheWholeRange()
{
    QRandomGenerator random(2);
    const Backoff backoff({ 500, 30000 }, &random);
    // Full jitter is uniform: mean near ceiling/2, standard deviation near ceiling/sqrt(12).
    const int samples = 20000;
    double sum = 0, sumOfSquares = 0;
    int lowQuarter = 0, highQuarter = 0;
    for (int i = 0; i < samples; ++i) {
        const double delay = backoff.delayMs(10); // ceiling 30,000
        sum += delay;
        sumOfSquares += delay * delay;
        lowQuarter += delay < 7500 ? 1 : 0;
        highQuarter += delay > 22500 ? 1 : 0;
    }
    const double mean = sum / samples;
    const double deviation = std::sqrt(sumOfSquares / samples - mean * mean);
    QVERIFY2(std::abs(mean - 15000) < 600, qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(deviation - 30000 / std::sqrt(12.0)) < 600, qPrintable(QString::number(deviation)));
    QVERIFY(lowQuarter > samples / 5 && highQuarter > samples / 5);
}

void tst_Backoff::clientsAreNotInLockstep()
{
    // Two clients with their own generators (as on two machines) draw different schedules.
    QRandomGenerator first(3), second(4);
    const Backoff a({ 500, 30000 }, &first), b({ 500, 30000 }, &second);
    int equal = 0;
    for (int attempt = 0; attempt < 50; ++attempt)
        equal += a.delayMs(attempt) == b.delayMs(attempt) ? 1 : 0;
    QVERIFY(equal < 5);
}

void tst_Backoff::honoursAdvice()
{
    QRandomGenerator random(5);
    const Backoff backoff({ 500, 30000 }, &random);
    int minimum = INT_MAX, maximum = 0;
    for (int i = 0; i < 1000; ++i) {
        const int delay = backoff.delayMs(0, 4000);
        minimum = std::min(minimum, delay);
        maximum = std::max(maximum, delay);
    }
    QVERIFY(minimum >= 4000);
    QVERIFY(maximum <= 6000);
    QVERIFY(maximum - minimum > 1000); // spread, not a fixed wait
}

QTEST_GUILESS_MAIN(tst_Backoff)
#include "tst_backoff.moc"
