#include "ops/metrics.h"

#include <QTest>

using Confab::Ops::Metrics;

class tst_Metrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersPrometheusText();
};

void tst_Metrics::rendersPrometheusText()
{
    Metrics metrics;
    metrics.describe("confab_things_total", Metrics::Counter, "Things seen");
    metrics.increment("confab_things_total", "kind=\"a\"");
    metrics.increment("confab_things_total", "kind=\"a\"", 2);
    metrics.describe("confab_open", Metrics::Gauge, "Open things");
    metrics.addGaugeSource("confab_open", [] { return QList<std::pair<QByteArray, double>> { { {}, 7 } }; });
    QCOMPARE(metrics.value("confab_things_total", "kind=\"a\""), 3.0);
    const QByteArray text = metrics.render();
    QVERIFY(text.contains("# TYPE confab_things_total counter\n"));
    QVERIFY(text.contains("confab_things_total{kind=\"a\"} 3\n"));
    QVERIFY(text.contains("# TYPE confab_open gauge\nconfab_open 7\n"));
}

QTEST_GUILESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
