// Whether the store's commits succeed, said where an operator looks: a log line when
// they start failing (a full disk, an I/O error), one a minute while they keep failing,
// one when they succeed again; an error count for /metrics; readiness while it lasts.
#pragma once

#include <QElapsedTimer>
#include <QString>

namespace Confab::Storage {

class CommitHealth
{
public:
    static constexpr qint64 RepeatLogMs = 60'000;

    void failed(const QString &error);
    void succeeded();

    bool isFailing() const { return m_failing; }
    qint64 errors() const { return m_errors; }

private:
    bool m_failing = false;
    qint64 m_errors = 0;
    qint64 m_failuresSinceLog = 0;
    qint64 m_failuresInOutage = 0;
    QElapsedTimer m_outage;
    QElapsedTimer m_sinceLog;
};

} // namespace Confab::Storage
