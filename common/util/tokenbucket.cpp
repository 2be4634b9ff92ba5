#include "util/tokenbucket.h"

#include <cmath>

namespace Confab {

TokenBucket::TokenBucket(double ratePerSecond, double burst)
    : m_rate(ratePerSecond)
    , m_burst(burst)
    , m_tokens(burst)
{
}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
    if (m_lastMs < 0 || nowMs > m_lastMs)
        m_lastMs = nowMs;
}

bool TokenBucket::tryTake(qint64 nowMs, double tokens)
{
    refill(nowMs);
    if (m_tokens < tokens)
        return false;
    m_tokens -= tokens;
    return true;
}

qint64 TokenBucket::msUntilAvailable(qint64 nowMs) const
{
    double tokens = m_tokens;
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        tokens = std::min(m_burst, tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
    return tokens >= 1 ? 0 : qint64(std::ceil((1 - tokens) * 1000.0 / m_rate));
}

} // namespace Confab
