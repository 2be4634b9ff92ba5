#include "loadguard.h"

#include "engineio/engineserver.h"
#include "ops/logging.h"
#include "ops/metrics.h"
#include "realtime/client.h"
#include "realtime/server.h"

#include <QRandomGenerator>
#include <QTimerEvent>

namespace Confab::App {

namespace {
constexpr int TickMs = 200;
constexpr const char *RefusalNames[] = { "draining", "max_connections", "accept_rate", "overloaded" };
}

LoadGuard::LoadGuard(EngineIo::EngineServer *engine, Realtime::Server *io, Ops::LoadMonitor *monitor,
                     const LoadGuardOptions &options, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_io(io)
    , m_monitor(monitor)
    , m_options(options)
    // A burst of one second's worth: a reconnect storm is admitted at the set rate.
    , m_accepts(options.maxAcceptPerSecond, std::max(1.0, options.maxAcceptPerSecond))
{
    m_clock.start();
    connect(monitor, &Ops::LoadMonitor::levelChanged, this, [this](Ops::LoadMonitor::Level level) {
        static const char *names[] = { "normal", "high: taking no new connections", "critical: shedding connections" };
        const int residentMiB = int(m_monitor->residentBytes() >> 20);
        const int lagMs = qRound(m_monitor->lagMs());
        if (level == Ops::LoadMonitor::Level::Normal)
            qCInfo(Ops::lcLoad, "load %s (resident %d MiB, event-loop lag %d ms)", names[int(level)], residentMiB,
                   lagMs);
        else
            qCWarning(Ops::lcLoad, "load %s (resident %d MiB, event-loop lag %d ms)", names[int(level)], residentMiB,
                      lagMs);
        if (level == Ops::LoadMonitor::Level::Critical && !m_tick.isActive())
            m_tick.start(TickMs, this);
    });
}

void LoadGuard::setMetrics(Ops::Metrics *metrics)
{
    metrics->describe("confab_admission_refused_total", Ops::Metrics::Counter,
                      "New connections refused with 503, by reason");
    metrics->addGaugeSource("confab_admission_refused_total", [this] {
        QList<std::pair<QByteArray, double>> samples;
        for (int reason = 0; reason < 4; ++reason)
            samples.append({ QByteArray("reason=\"") + RefusalNames[reason] + '"', double(m_refused[reason]) });
        return samples;
    });
    metrics->describe("confab_connections_shed_total", Ops::Metrics::Counter,
                      "Connections told server:advice and closed (overload, drain, rebalance)");
    metrics->addGaugeSource("confab_connections_shed_total", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(m_shed) } };
    });
    metrics->describe("confab_draining", Ops::Metrics::Gauge, "1 while the node drains");
    metrics->addGaugeSource("confab_draining", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, m_draining ? 1.0 : 0.0 } };
    });
}

int LoadGuard::jittered(int from, int to) const
{
    return from + int(QRandomGenerator::global()->bounded(std::max(1, to - from)));
}

Transport::HttpResponse LoadGuard::refuse(Refusal reason)
{
    ++m_refused[int(reason)];
    Transport::HttpResponse refusal
        = Transport::HttpResponse::text(503,
                                        QByteArray("node busy (") + RefusalNames[int(reason)]
                                            + "); retry elsewhere or later\n");
    // Jittered, so a crowd refused together does not come back together.
    refusal.setHeader("Retry-After", QByteArray::number(jittered(1, 6)));
    return refusal;
}

std::optional<Transport::HttpResponse> LoadGuard::admit()
{
    if (m_draining)
        return refuse(Refusal::Draining);
    if (m_options.maxConnections > 0 && m_engine->sessionCount() >= m_options.maxConnections)
        return refuse(Refusal::MaxConnections);
    if (m_monitor->level() != Ops::LoadMonitor::Level::Normal)
        return refuse(Refusal::Overloaded);
    if (m_options.maxAcceptPerSecond > 0 && !m_accepts.tryTake(m_clock.elapsed()))
        return refuse(Refusal::AcceptRate);
    return std::nullopt;
}

bool LoadGuard::wantsConnections() const
{
    return !m_draining && m_monitor->level() == Ops::LoadMonitor::Level::Normal
        && (m_options.maxConnections <= 0 || m_engine->sessionCount() < m_options.maxConnections);
}

int LoadGuard::openClients() const
{
    int open = 0;
    for (const Realtime::Client *client : m_io->clients())
        open += client->isOpen() && !client->isAdvised();
    return open;
}

int LoadGuard::shed(int count, const QString &reason)
{
    int advised = 0;
    const QList<Realtime::Client *> clients = m_io->clients(); // a copy: advising closes some
    for (auto it = clients.crbegin(); it != clients.crend() && advised < count; ++it) {
        Realtime::Client *client = *it;
        if (!client->isOpen() || client->isAdvised())
            continue;
        // Spread the comebacks over a few seconds: no reconnect storm of our own making.
        client->advise(jittered(500, 5000), reason);
        ++advised;
    }
    m_shed += advised;
    if (advised > 0 && reason != QLatin1String("draining"))
        qCInfo(Ops::lcLoad, "advised %d connections to reconnect elsewhere (%s)", advised, qPrintable(reason));
    return advised;
}

void LoadGuard::drain()
{
    if (m_draining)
        return;
    m_draining = true;
    m_drainStartedMs = m_clock.elapsed();
    qCInfo(Ops::lcLoad, "draining %d connections over %d ms", openClients(), m_options.drainMs);
    m_tick.start(TickMs, this);
    tick();
}

void LoadGuard::tick()
{
    if (m_draining) {
        // Spread the advice evenly over the drain period, whatever is left each tick.
        const int open = openClients();
        const qint64 ticksLeft
            = std::max<qint64>(1, (m_options.drainMs - (m_clock.elapsed() - m_drainStartedMs)) / TickMs);
        shed(int((open + ticksLeft - 1) / ticksLeft), QStringLiteral("draining"));
        // Clients that never come back for their advice do not hold the exit up for long.
        if (m_clock.elapsed() - m_drainStartedMs > m_options.drainMs + 5000)
            m_engine->closeAll(QStringLiteral("drain deadline"));
        if (m_engine->sessionCount() == 0) {
            m_tick.stop();
            Q_EMIT drained();
        }
        return;
    }
    if (m_monitor->level() != Ops::LoadMonitor::Level::Critical) {
        m_tick.stop();
        return;
    }
    const int open = openClients();
    shed(std::max(1, open * m_options.shedPercentPerTick / 100), QStringLiteral("overloaded"));
}

void LoadGuard::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_tick.timerId())
        tick();
    else
        QObject::timerEvent(event);
}

} // namespace Confab::App
