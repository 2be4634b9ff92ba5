// Keeps a node from taking more than it can hold, and moves users off it gently.
// - Admission: new Engine.IO handshakes get 503 + Retry-After (jittered) while the node
//   is at --max-connections, over --max-accept-rate, at the load monitor's high mark, or
//   draining; readiness follows the same rule so the load balancer looks elsewhere.
// - Shedding: at the critical mark, a few percent of the connections per tick are told
//   `server:advice {reconnectAfterMs}` (spread with jitter, so they do not all come back
//   at once) and their transport is closed; stock Socket.IO clients reconnect, through
//   the load balancer, to a healthier node.
// - Drain (SIGTERM, `confabctl drain`): the same advice to everyone, spread over the
//   drain period; `drained()` once no session is left.
// - Rebalance (`confabctl shed N`): advise N connections now, e.g. after a node joined.
#pragma once

#include "ops/loadmonitor.h"
#include "transport/httpresponse.h"
#include "util/tokenbucket.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>

#include <optional>

namespace Confab::EngineIo {
class EngineServer;
}
namespace Confab::Realtime {
class Server;
}
namespace Confab::Ops {
class Metrics;
}

namespace Confab::App {

struct LoadGuardOptions
{
    int maxConnections = 0;        // 0: no limit
    double maxAcceptPerSecond = 0; // 0: no limit
    int shedPercentPerTick = 5;    // at the critical mark, per 200 ms tick
    int drainMs = 10000;
};

class LoadGuard : public QObject
{
    Q_OBJECT
public:
    LoadGuard(EngineIo::EngineServer *engine, Realtime::Server *io, Ops::LoadMonitor *monitor,
              const LoadGuardOptions &options, QObject *parent = nullptr);

    // The refusal for a new handshake, or nothing when it may proceed.
    std::optional<Transport::HttpResponse> admit();
    bool wantsConnections() const;
    bool isDraining() const { return m_draining; }
    void setMetrics(Ops::Metrics *metrics);

    void drain();
    // Advises up to count connections (newest first); returns how many.
    int shed(int count, const QString &reason);

Q_SIGNALS:
    void drained();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Refusal { Draining, MaxConnections, AcceptRate, Overloaded };
    Transport::HttpResponse refuse(Refusal reason);
    int openClients() const;
    int jittered(int from, int to) const;
    void tick();

    EngineIo::EngineServer *m_engine;
    Realtime::Server *m_io;
    Ops::LoadMonitor *m_monitor;
    LoadGuardOptions m_options;
    TokenBucket m_accepts;
    QElapsedTimer m_clock;
    QBasicTimer m_tick;
    bool m_draining = false;
    qint64 m_drainStartedMs = 0;
    qint64 m_refused[4] = {};
    qint64 m_shed = 0;
};

} // namespace Confab::App
