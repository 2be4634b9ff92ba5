#include "storage/commithealth.h"

#include "ops/logging.h"

namespace Confab::Storage {

void CommitHealth::failed(const QString &error)
{
    ++m_errors;
    ++m_failuresInOutage;
    ++m_failuresSinceLog;
    if (!m_failing) {
        m_failing = true;
        m_outage.start();
        m_sinceLog.start();
        m_failuresSinceLog = 0;
        qCCritical(Ops::lcStore,
                   "commits are failing (%s): messages and changes are answered 'unavailable', nothing is acked,"
                   " /readyz answers 503 until a commit succeeds",
                   qPrintable(error));
        return;
    }
    if (m_sinceLog.elapsed() >= RepeatLogMs) {
        qCCritical(Ops::lcStore, "commits still failing after %lld s: %lld failed in the last minute (%s)",
                   static_cast<long long>(m_outage.elapsed() / 1000), static_cast<long long>(m_failuresSinceLog),
                   qPrintable(error));
        m_sinceLog.start();
        m_failuresSinceLog = 0;
    }
}

void CommitHealth::succeeded()
{
    if (!m_failing)
        return;
    m_failing = false;
    qCWarning(Ops::lcStore, "commits succeed again after %lld s and %lld failed commits",
              static_cast<long long>(m_outage.elapsed() / 1000), static_cast<long long>(m_failuresInOutage));
    m_failuresInOutage = 0;
}

} // namespace Confab::Storage
