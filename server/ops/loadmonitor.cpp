#include "ops/loadmonitor.h"

#include "ops/metrics.h"

#include <QFile>
#include <QTimerEvent>

#include <unistd.h>

namespace Confab::Ops {

LoadMonitor::LoadMonitor(const LoadMarks &marks, QObject *parent)
    : QObject(parent)
    , m_marks(marks)
{
    m_residentBytes = readResidentBytes();
    m_timer.start(marks.sampleIntervalMs, Qt::PreciseTimer, this);
    m_sinceLastSample.start();
}

qint64 LoadMonitor::readResidentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

void LoadMonitor::setMetrics(Metrics *metrics)
{
    metrics->describe("confab_load_level", Metrics::Gauge, "0 normal, 1 high (no new work), 2 critical (shedding)");
    metrics->addGaugeSource("confab_load_level", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(int(m_level)) } };
    });
    metrics->describe("confab_resident_bytes", Metrics::Gauge, "Resident memory of the process");
    metrics->addGaugeSource("confab_resident_bytes", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(m_residentBytes) } };
    });
    metrics->describe("confab_event_loop_lag_ms", Metrics::Gauge, "How late the event loop ran a timer (smoothed)");
    metrics->addGaugeSource("confab_event_loop_lag_ms", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, m_lagMs } };
    });
}

LoadMonitor::Level LoadMonitor::levelFor(double value, double high, double critical) const
{
    if (high <= 0)
        return Level::Normal;
    // Hysteresis: stay at a level until the value is 10% under the mark that raised it.
    const double leave = 0.9;
    if (critical > 0 && (value >= critical || (m_level == Level::Critical && value >= critical * leave)))
        return Level::Critical;
    if (value >= high || (m_level >= Level::High && value >= high * leave))
        return Level::High;
    return Level::Normal;
}

void LoadMonitor::sample()
{
    const qint64 elapsed = m_sinceLastSample.restart();
    const double lateBy = std::max<qint64>(0, elapsed - m_marks.sampleIntervalMs);
    m_lagMs = 0.7 * m_lagMs + 0.3 * lateBy; // smoothed: one slow pass is not overload
    m_residentBytes = readResidentBytes();
    const Level level = std::max(levelFor(double(m_residentBytes), double(m_marks.memoryHighBytes),
                                          double(m_marks.memoryCriticalBytes)),
                                 levelFor(m_lagMs, m_marks.lagHighMs, m_marks.lagCriticalMs));
    if (level == m_level)
        return;
    m_level = level;
    Q_EMIT levelChanged(level);
}

void LoadMonitor::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_timer.timerId())
        sample();
    else
        QObject::timerEvent(event);
}

} // namespace Confab::Ops
