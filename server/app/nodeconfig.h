// confabd's settings: every option is a flag, a CONFAB_* environment variable and a key
// of the INI file given with --config; a flag wins over the environment, which wins
// over the file.
#pragma once

#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <QThread>

#include <optional>

namespace Confab::App {

struct NodeConfig
{
    QString listenAddress = QStringLiteral("127.0.0.1");
    quint16 listenPort = 7480;
    QString dataDir;
    bool allowRegister = true;
    QString tokenSecretFile;
    QString previousTokenSecretFile;
    qint64 tokenTtlSeconds = 30 * 24 * 3600;
    QString adminTokenFile;
    QString tlsCert;
    QString tlsKey;
    QStringList corsOrigins;
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    qint64 maxPayload = 1000000;
    int scryptLog2N = 15;
    int eventsPerSecond = 50;   // per connection
    int eventBurst = 200;
    QList<std::pair<QHostAddress, int>> trustedProxies;
    int maxSessionsPerAddress = 1000;
    int maxMembersPerRoom = 10000;
    int maxRoomsPerUser = 1000;
    QString logFormat;      // empty: journal under systemd, text otherwise
    int outboundBudgetKb = 2048;
    int workers = QThread::idealThreadCount(); // WebSocket I/O threads
    int pauseReadsAt = 10000;
    int maxConnections = 0;
    int maxAcceptRate = 0;
    int memoryHighMb = 0;
    int memoryCriticalMb = 0;
    int lagHighMs = 2000;
    int lagCriticalMs = 0;
    int drainSeconds = 10;
    QString redisUrl;       // empty: embedded mode (SQLite, in-process bus)
    QString nodeId;         // empty: a random one
    int redisWaitReplicas = 0;
};

enum class ConfigOutcome { Run, Exit, Error };

// Parses arguments (with the environment and the config file). On Exit the help or
// version text was printed; on Error, *error says what is wrong.
ConfigOutcome loadNodeConfig(const QStringList &arguments, NodeConfig *config, QString *error);

} // namespace Confab::App
