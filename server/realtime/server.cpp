#include "realtime/server.h"

#include "engineio/engineserver.h"
#include "ops/metrics.h"
#include "realtime/client.h"

namespace Confab::Realtime {

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    of(QStringLiteral("/"));
}

Server::Server(EngineIo::EngineServer *engine, const ServerOptions &options, QObject *parent)
    : Server(options, parent)
{
    connect(engine, &EngineIo::EngineServer::sessionOpened, this, &Server::addSession);
}

Client *Server::addSession(EngineIo::Session *session)
{
    auto *client = new Client(session, this);
    m_clients.append(client);
    return client;
}

Server::~Server()
{
    for (Client *client : std::as_const(m_clients))
        client->detachServer();
}

void Server::removeClient(Client *client)
{
    m_clients.removeOne(client);
}

Namespace *Server::of(const QString &name)
{
    Namespace *&nsp = m_namespaces[name];
    if (!nsp)
        nsp = new Namespace(name, this);
    return nsp;
}

void Server::setMetrics(Ops::Metrics *metrics)
{
    m_metrics = metrics;
    metrics->describe("confab_socketio_packets_total", Ops::Metrics::Counter, "Socket.IO packets, by direction");
    metrics->describe("confab_socketio_protocol_errors_total", Ops::Metrics::Counter,
                      "Connections closed for a malformed Socket.IO packet");
    metrics->describe("confab_socketio_sockets", Ops::Metrics::Gauge, "Connected sockets, by namespace");
    metrics->describe("confab_outbound_dropped_total", Ops::Metrics::Counter,
                      "Volatile events (typing, presence) not sent to a client that is behind");
    metrics->describe("confab_slow_consumers_total", Ops::Metrics::Counter,
                      "Connections closed because their outbound backlog passed the budget");
    metrics->addGaugeSource("confab_socketio_sockets", [this] {
        QList<std::pair<QByteArray, double>> samples;
        for (const Namespace *nsp : std::as_const(m_namespaces))
            samples.append({ "namespace=\"" + nsp->name().toUtf8() + '"', double(nsp->socketCount()) });
        return samples;
    });
    metrics->describe("confab_outbound_queued_bytes", Ops::Metrics::Gauge,
                      "Bytes written to connections and not yet taken by the clients (all sessions)");
    metrics->addGaugeSource("confab_outbound_queued_bytes", [this] {
        double queued = 0;
        for (const Client *client : std::as_const(m_clients))
            queued += double(client->session()->queuedBytes());
        return QList<std::pair<QByteArray, double>> { { {}, queued } };
    });
    // The worst consumer's backlog, to compare with --outbound-budget-kb: the total above
    // cannot tell one stalled client from many busy ones.
    metrics->describe("confab_outbound_largest_queued_bytes", Ops::Metrics::Gauge,
                      "The largest outbound backlog of any one session, in bytes");
    metrics->addGaugeSource("confab_outbound_largest_queued_bytes", [this] {
        qint64 largest = 0;
        for (const Client *client : std::as_const(m_clients))
            largest = std::max(largest, client->session()->queuedBytes());
        return QList<std::pair<QByteArray, double>> { { {}, double(largest) } };
    });
}

} // namespace Confab::Realtime
