#include "util/backoff.h"

#include <algorithm>

namespace Confab {

Backoff::Backoff(const BackoffPolicy &policy, QRandomGenerator *random)
    : m_policy(policy)
    , m_random(random)
{
}

int Backoff::ceilingMs(int attempt) const
{
    const int shift = std::clamp(attempt, 0, 30);
    const qint64 ceiling = qint64(m_policy.baseMs) << shift;
    return int(std::min<qint64>(ceiling, m_policy.capMs));
}

int Backoff::delayMs(int attempt, std::optional<int> advisedMs) const
{
    if (advisedMs && *advisedMs > 0) {
        // Honour the advice, spread over an extra half of it so a shed crowd does not return at once.
        return *advisedMs + int(m_random->bounded(qint64(*advisedMs) / 2 + 1));
    }
    return int(m_random->bounded(qint64(ceilingMs(attempt)) + 1));
}

} // namespace Confab
