// The one reconnect policy: exponential backoff with full jitter. Attempt n waits a
// uniformly random time in [0, min(cap, base * 2^n)], so clients that lost the same
// server spread out instead of returning in lockstep. A server's advice (503 +
// Retry-After, server:advice) raises the floor: advice + a random part of it.
#pragma once

#include <QRandomGenerator>

#include <optional>

namespace Confab {

struct BackoffPolicy
{
    int baseMs = 500;
    int capMs = 30000;
};

class Backoff
{
public:
    explicit Backoff(const BackoffPolicy &policy = {}, QRandomGenerator *random = QRandomGenerator::global());

    // The delay before attempt `attempt` (0-based).
    int delayMs(int attempt, std::optional<int> advisedMs = std::nullopt) const;
    // The upper bound of that delay without advice: min(cap, base * 2^attempt).
    int ceilingMs(int attempt) const;

private:
    BackoffPolicy m_policy;
    QRandomGenerator *m_random;
};

} // namespace Confab
