// A token bucket: `rate` tokens per second up to `burst`. Used for per-connection
// event limits and login throttling.
#pragma once

#include <QtGlobal>

namespace Confab {

class TokenBucket
{
public:
    TokenBucket(double ratePerSecond, double burst);
    // Takes one token at time nowMs (a monotonic clock); false when none is left.
    bool tryTake(qint64 nowMs, double tokens = 1);
    // Milliseconds until one token is available.
    qint64 msUntilAvailable(qint64 nowMs) const;

private:
    void refill(qint64 nowMs);

    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs = -1;
};

} // namespace Confab
