// confabd's settings: every option is a flag, a CONFAB_* environment variable and a key
// of the INI file given with --config; a flag wins over the environment, which wins
// over the file. What each one is, its default and its range: the table in
// nodeoptions.cpp, the only place defaults live (docs/OPERATIONS.md is made from it).
#pragma once

#include "ops/logging.h"

#include <QHostAddress>
#include <QList>
#include <QStringList>

namespace Confab::App {

// Filled by loadNodeConfig from the option table: a default-constructed one holds no
// defaults, only zeros.
struct NodeConfig
{
    QString listenAddress;
    quint16 listenPort = 0;
    QString dataDir;
    bool allowRegister = false;
    QString tokenSecretFile;
    QString previousTokenSecretFile;
    qint64 tokenTtlSeconds = 0;
    QString adminTokenFile;
    QString tlsCert;
    QString tlsKey;
    QStringList corsOrigins;
    int pingIntervalMs = 0;
    int pingTimeoutMs = 0;
    qint64 maxPayload = 0;
    QString filesDir;
    qint64 maxFileMb = 0;
    qint64 fileQuotaMb = 0;
    qint64 uploadTimeoutSeconds = 0; // a whole upload
    qint64 fileUnsentHours = 0;      // an upload no message carries is collected after this
    qint64 fileGcGraceMinutes = 0;   // nothing younger is collected
    qint64 fileGcIntervalMinutes = 0;
    int scryptLog2N = 0;
    int eventsPerSecond = 0; // per connection
    int eventBurst = 0;
    QList<std::pair<QHostAddress, int>> trustedProxies;
    int maxSessionsPerAddress = 0;
    int maxMembersPerRoom = 0;
    int maxRoomsPerUser = 0;
    Ops::LogFormat logFormat = Ops::LogFormat::Text;
    int outboundBudgetKb = 0;
    int workers = 0; // WebSocket I/O threads
    int pauseReadsAt = 0;
    int maxConnections = 0;
    int maxAcceptRate = 0;
    int memoryHighMb = 0;
    int memoryCriticalMb = 0;
    int lagHighMs = 0;
    int lagCriticalMs = 0;
    int drainSeconds = 0;
    QString redisUrl; // empty: embedded mode (SQLite, in-process bus)
    QString nodeId;
    int redisWaitReplicas = 0;
};

enum class ConfigOutcome { Run, Exit, Error };

// Parses arguments (with the environment and the config file). On Exit the help, the
// version, the option table as Markdown (--help-markdown) or the --check-config verdict
// was printed; on Error, *error says what is wrong.
ConfigOutcome loadNodeConfig(const QStringList &arguments, NodeConfig *config, QString *error);

} // namespace Confab::App
