// The embedded backend: SQLite store, in-process bus, presence in memory.
#include "app/nodebackend.h"
#include "app/nodeconfig.h"
#include "chat/bus.h"
#include "chat/chatservice.h"
#include "chat/presenceregistry.h"
#include "ops/metrics.h"
#include "storage/sqlitestore.h"

#include <QDir>

namespace Confab::App {

namespace {

class EmbeddedBackend final : public NodeBackend
{
public:
    explicit EmbeddedBackend(const QString &dataDir)
        : m_dataDir(dataDir)
        , m_presence(&m_store)
    {
    }

    bool open(QString *error) { return m_store.open(QDir(m_dataDir).filePath(QStringLiteral("confab.db")), error); }

    void registerMetrics(Ops::Metrics *metrics)
    {
        metrics->describe("confab_store_commits_total", Ops::Metrics::Counter, "Store transactions (group commits)");
        metrics->addGaugeSource("confab_store_commits_total", [this] {
            return QList<std::pair<QByteArray, double>> { { {}, double(m_store.commits()) } };
        });
        metrics->describe("confab_store_errors_total", Ops::Metrics::Counter,
                          "Store commits that failed (disk full, I/O errors): nothing in them was acknowledged");
        metrics->addGaugeSource("confab_store_errors_total", [this] {
            return QList<std::pair<QByteArray, double>> { { {}, double(m_store.commitErrors()) } };
        });
    }

    Chat::Store *store() override { return &m_store; }
    Chat::Bus *bus() override { return &m_bus; }
    Chat::PresenceRegistry *presence() override { return &m_presence; }
    // Not ready while commits fail: a load balancer sends new users elsewhere.
    bool isReady() const override { return m_store.isAvailable() && !m_store.commitsFailing(); }
    QByteArray sessionIdPrefix() const override { return {}; }
    QString nodeName() const override { return QStringLiteral("embedded"); }

    std::optional<QJsonArray> nodes(const Chat::ChatService &chat) const override
    {
        return QJsonArray { QJsonObject { { QStringLiteral("node"), nodeName() },
                                          { QStringLiteral("alive"), true },
                                          { QStringLiteral("users"), chat.connectedUsers() } } };
    }

    void attach(Chat::ChatService *) override { }
    QString description() const override { return QStringLiteral("data in %1").arg(m_dataDir); }
    QString logDescription() const override { return QStringLiteral("embedded store"); }

private:
    const QString m_dataDir;
    Storage::SqliteStore m_store;
    Chat::LocalBus m_bus;
    Chat::LocalPresence m_presence; // last seen goes to the store
};

} // namespace

std::unique_ptr<NodeBackend> createEmbeddedBackend(const NodeConfig &config, Ops::Metrics *metrics, QString *error)
{
    auto backend = std::make_unique<EmbeddedBackend>(config.dataDir);
    if (!backend->open(error))
        return nullptr;
    backend->registerMetrics(metrics);
    return backend;
}

} // namespace Confab::App
