// The Socket.IO v5 server on top of an Engine.IO endpoint.
#pragma once

#include "realtime/namespace.h"

#include <QHash>
#include <QObject>

namespace Confab::EngineIo {
class EngineServer;
class Session;
}
namespace Confab::Ops {
class Metrics;
}

namespace Confab::Realtime {

class Client;

struct ServerOptions
{
    int connectTimeoutMs = 45000; // a session must connect a namespace within this
    int maxAttachments = 64;
};

class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(const ServerOptions &options = {}, QObject *parent = nullptr);
    // Serves every session `engine` opens.
    Server(EngineIo::EngineServer *engine, const ServerOptions &options = {}, QObject *parent = nullptr);
    ~Server() override;

    const ServerOptions &options() const { return m_options; }
    // The namespace called name, created on first use ("/" always exists).
    Namespace *of(const QString &name);
    Namespace *find(const QString &name) const { return m_namespaces.value(name); }
    void setMetrics(Ops::Metrics *metrics);
    Ops::Metrics *metrics() const { return m_metrics; }
    // Serves Socket.IO over `session` (the engine's, or an in-process test's fake). The
    // client lives as long as the session.
    Client *addSession(EngineIo::Session *session);
    // Every open Socket.IO client (one per Engine.IO session), oldest first.
    const QList<Client *> &clients() const { return m_clients; }

private:
    friend class Client;
    void removeClient(Client *client); // from ~Client: no connection per client

    ServerOptions m_options;
    QHash<QString, Namespace *> m_namespaces;
    QList<Client *> m_clients;
    Ops::Metrics *m_metrics = nullptr;
};

} // namespace Confab::Realtime
