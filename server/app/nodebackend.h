// What chat runs on: a store, a bus and a presence registry. Embedded (SQLite, in
// process) or a cluster node's (Redis); each factory registers its own metrics.
#pragma once

#include <QJsonArray>
#include <QObject>

#include <memory>
#include <optional>

namespace Confab::Chat {
class Bus;
class ChatService;
class PresenceRegistry;
class Store;
}
namespace Confab::Ops {
class Metrics;
}

namespace Confab::App {

struct NodeConfig;

class NodeBackend : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual Chat::Store *store() = 0;
    virtual Chat::Bus *bus() = 0;
    virtual Chat::PresenceRegistry *presence() = 0;
    // The store (and a cluster's pub/sub link) can be reached: the node may take users.
    virtual bool isReady() const = 0;
    // Prefixes Engine.IO session ids, so a load balancer can route by node; empty embedded.
    virtual QByteArray sessionIdPrefix() const = 0;
    // This node's name for `confabctl nodes`.
    virtual QString nodeName() const = 0;
    // Every node with its users; nullopt when that cannot be known now.
    virtual std::optional<QJsonArray> nodes(const Chat::ChatService &chat) const = 0;
    // Once chat runs on it: a cluster node relays presence and store recovery to it.
    virtual void attach(Chat::ChatService *chat) = 0;
    // For the "listening on" lines: stdout's and the log's.
    virtual QString description() const = 0;
    virtual QString logDescription() const = 0;
};

// Open, reachable and with metrics registered; nullptr and *error when it cannot start.
std::unique_ptr<NodeBackend> createEmbeddedBackend(const NodeConfig &config, Ops::Metrics *metrics, QString *error);
std::unique_ptr<NodeBackend> createClusterBackend(const NodeConfig &config, Ops::Metrics *metrics, QString *error);

} // namespace Confab::App
