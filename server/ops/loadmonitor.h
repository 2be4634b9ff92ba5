// How loaded this process is, sampled a few times a second: resident memory and the
// event loop's lag (how late a timer fires). Two marks per signal: above "high" the
// node takes no new work (readiness 503, handshakes refused); above "critical" it also
// sheds connections. Leaving a level needs the signal 10% under its mark, so a node at
// the edge does not flap.
#pragma once

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>

namespace Confab::Ops {

class Metrics;

struct LoadMarks
{
    qint64 memoryHighBytes = 0; // 0: not watched
    qint64 memoryCriticalBytes = 0;
    int lagHighMs = 250; // 0: not watched
    int lagCriticalMs = 1000;
    int sampleIntervalMs = 200;
};

class LoadMonitor : public QObject
{
    Q_OBJECT
public:
    enum class Level { Normal, High, Critical };
    Q_ENUM(Level)

    explicit LoadMonitor(const LoadMarks &marks, QObject *parent = nullptr);

    Level level() const { return m_level; }
    qint64 residentBytes() const { return m_residentBytes; }
    double lagMs() const { return m_lagMs; }
    void setMetrics(Metrics *metrics);

    // The process's resident set size from /proc/self/statm (0 where unavailable).
    static qint64 readResidentBytes();

Q_SIGNALS:
    void levelChanged(Confab::Ops::LoadMonitor::Level level);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    Level levelFor(double value, double high, double critical) const;
    void sample();

    LoadMarks m_marks;
    Level m_level = Level::Normal;
    qint64 m_residentBytes = 0;
    double m_lagMs = 0;
    QBasicTimer m_timer;
    QElapsedTimer m_sinceLastSample;
};

} // namespace Confab::Ops
