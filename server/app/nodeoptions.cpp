#include "app/nodeoptions.h"

#include <QDir>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

namespace Confab::App {

namespace {

// --- How a value is read. Errors name the flag, whichever source the value came from.

template<auto Field> bool setNumber(const NodeOption &option, const QString &text, NodeConfig *config, QString *error)
{
    bool ok = false;
    const qint64 parsed = text.toLongLong(&ok);
    if (!ok || parsed < option.minimum || parsed > option.maximum) {
        *error = QStringLiteral("%1 must be a number from %2 to %3")
                     .arg(option.flagName())
                     .arg(option.minimum)
                     .arg(option.maximum);
        return false;
    }
    using Type = std::remove_reference_t<decltype(config->*Field)>;
    config->*Field = Type(parsed);
    return true;
}

template<auto Field> bool setText(const NodeOption &, const QString &text, NodeConfig *config, QString *)
{
    config->*Field = text;
    return true;
}

template<auto Field> bool setOnOff(const NodeOption &option, const QString &text, NodeConfig *config, QString *error)
{
    static const QStringList on { QStringLiteral("on"), QStringLiteral("true"), QStringLiteral("1"),
                                  QStringLiteral("yes") };
    static const QStringList off { QStringLiteral("off"), QStringLiteral("false"), QStringLiteral("0"),
                                   QStringLiteral("no") };
    const QString value = text.toLower();
    if (!on.contains(value) && !off.contains(value)) {
        *error = QStringLiteral("%1 must be on or off").arg(option.flagName());
        return false;
    }
    config->*Field = on.contains(value);
    return true;
}

bool setListen(const NodeOption &, const QString &text, NodeConfig *config, QString *error)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon < 0 ? 0 : text.mid(colon + 1).toUInt(&ok);
    if (colon <= 0 || !ok || port > 65535) {
        *error = QStringLiteral("--listen must be ADDR:PORT, e.g. 127.0.0.1:7480");
        return false;
    }
    config->listenAddress = text.left(colon).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
    config->listenPort = quint16(port);
    return true;
}

bool setCorsOrigins(const NodeOption &, const QString &text, NodeConfig *config, QString *)
{
    config->corsOrigins = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    return true;
}

bool setTrustedProxies(const NodeOption &, const QString &text, NodeConfig *config, QString *error)
{
    config->trustedProxies.clear();
    for (const QString &cidr : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = cidr.trimmed();
        const auto subnet
            = QHostAddress::parseSubnet(trimmed.contains(QLatin1Char('/')) ? trimmed : trimmed + QStringLiteral("/32"));
        if (subnet.first.isNull()) {
            *error = QStringLiteral("--trusted-proxies: \"%1\" is not an address or subnet").arg(cidr);
            return false;
        }
        config->trustedProxies.append(subnet);
    }
    return true;
}

bool setLogFormat(const NodeOption &, const QString &text, NodeConfig *config, QString *error)
{
    const auto format = Ops::parseLogFormat(text);
    if (!format) {
        *error = QStringLiteral("--log-format must be text, json or journal");
        return false;
    }
    config->logFormat = *format;
    return true;
}

bool setNodeId(const NodeOption &, const QString &text, NodeConfig *config, QString *error)
{
    static const QRegularExpression nodePattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,31}$"));
    if (!nodePattern.match(text).hasMatch()) {
        *error = QStringLiteral("--node-id must match ^[a-z0-9][a-z0-9-]{0,31}$");
        return false;
    }
    config->nodeId = text;
    return true;
}

// --- Defaults that depend on the machine or on options above them in the table.

QString xdgDataDir(const NodeConfig &)
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString tokenSecretInDataDir(const NodeConfig &config)
{
    return QDir(config.dataDir).filePath(QStringLiteral("token-secret"));
}

QString filesInDataDir(const NodeConfig &config)
{
    return QDir(config.dataDir).filePath(QStringLiteral("files"));
}

QString adminTokenInDataDir(const NodeConfig &config)
{
    return QDir(config.dataDir).filePath(QStringLiteral("admin-token"));
}

QString coreCount(const NodeConfig &)
{
    return QString::number(QThread::idealThreadCount());
}

QString logFormatForHere(const NodeConfig &)
{
    switch (Ops::defaultLogFormat()) {
    case Ops::LogFormat::Json: return QStringLiteral("json");
    case Ops::LogFormat::Journal: return QStringLiteral("journal");
    case Ops::LogFormat::Text: break;
    }
    return QStringLiteral("text");
}

// Base 36, so a random id passes the check a given one must pass.
QString randomNodeId(const NodeConfig &)
{
    return QString::number(QRandomGenerator::system()->generate64() | (1ULL << 63), 36).left(8);
}

using C = NodeConfig;

// Order matters twice: a computed default may read options above it (data-dir before
// the files in it), and the first bad value is the one reported.
const NodeOption Options[] = {
    { .key = "listen",
      .valueName = "addr:port",
      .help = "Address and port to serve HTTP, WebSocket and the API on",
      .defaultValue = "127.0.0.1:7480",
      .apply = setListen },
    { .key = "data-dir",
      .valueName = "dir",
      .help = "Where the database and secrets live",
      .computedDefault = xdgDataDir,
      .defaultNote = "the XDG data dir",
      .apply = setText<&C::dataDir> },
    { .key = "allow-register",
      .valueName = "on|off",
      .help = "Let anyone create an account with POST /api/v1/register",
      .defaultValue = "on",
      .apply = setOnOff<&C::allowRegister> },
    { .key = "token-secret-file",
      .valueName = "file",
      .help = "HS256 secret for login tokens; created if absent",
      .computedDefault = tokenSecretInDataDir,
      .defaultNote = "<data-dir>/token-secret",
      .apply = setText<&C::tokenSecretFile> },
    { .key = "previous-token-secret-file",
      .valueName = "file",
      .help = "A retired secret whose tokens are still accepted (key rotation)",
      .apply = setText<&C::previousTokenSecretFile> },
    { .key = "token-ttl",
      .valueName = "seconds",
      .help = "How long a login token lasts",
      .defaultValue = "2592000",
      .defaultNote = "2592000 = 30 days",
      .minimum = 60,
      .maximum = 365LL * 24 * 3600,
      .apply = setNumber<&C::tokenTtlSeconds> },
    { .key = "admin-token-file",
      .valueName = "file",
      .help = "Bearer token for the admin API; created if absent",
      .computedDefault = adminTokenInDataDir,
      .defaultNote = "<data-dir>/admin-token",
      .apply = setText<&C::adminTokenFile> },
    { .key = "tls-cert",
      .valueName = "file",
      .help = "PEM certificate chain: serve https and wss",
      .apply = setText<&C::tlsCert> },
    { .key = "tls-key", .valueName = "file", .help = "PEM private key for --tls-cert", .apply = setText<&C::tlsKey> },
    { .key = "cors-origin",
      .valueName = "origins",
      .help = "Comma-separated origins allowed for browser clients, or *",
      .apply = setCorsOrigins },
    { .key = "ping-interval",
      .valueName = "ms",
      .help = "Engine.IO ping interval",
      .defaultValue = "25000",
      .minimum = 100,
      .maximum = 600000,
      .apply = setNumber<&C::pingIntervalMs> },
    { .key = "ping-timeout",
      .valueName = "ms",
      .help = "Engine.IO ping timeout",
      .defaultValue = "20000",
      .minimum = 100,
      .maximum = 600000,
      .apply = setNumber<&C::pingTimeoutMs> },
    { .key = "max-payload",
      .valueName = "bytes",
      .help = "Largest Engine.IO message or HTTP body accepted",
      .defaultValue = "1000000",
      .minimum = 1024,
      .maximum = 100000000,
      .apply = setNumber<&C::maxPayload> },
    { .key = "files-dir",
      .valueName = "dir",
      .help = "Where uploaded files are kept; a cluster's nodes must share it (a network filesystem)",
      .computedDefault = filesInDataDir,
      .defaultNote = "<data-dir>/files",
      .apply = setText<&C::filesDir> },
    { .key = "max-file-mb",
      .valueName = "MiB",
      .help = "Largest file one upload may be",
      .defaultValue = "25",
      .minimum = 1,
      .maximum = 4096,
      .apply = setNumber<&C::maxFileMb> },
    { .key = "file-quota-mb",
      .valueName = "MiB",
      .help = "Space one user's uploads may take (each content once)",
      .defaultValue = "1024",
      .minimum = 1,
      .maximum = 1024 * 1024,
      .apply = setNumber<&C::fileQuotaMb> },
    { .key = "upload-timeout-s",
      .valueName = "s",
      .help = "An upload must be complete within this (slower ones are cut and leave nothing)",
      .defaultValue = "600",
      .minimum = 1,
      .maximum = 3000, // under FileStore::StaleAfterMs: a starting node never removes an upload in progress
      .apply = setNumber<&C::uploadTimeoutSeconds> },
    { .key = "file-unsent-hours",
      .valueName = "hours",
      .help = "An upload no message carries is deleted after this (its client may still send it until then)",
      .defaultValue = "24",
      .minimum = 0,
      .maximum = 24 * 365,
      .apply = setNumber<&C::fileUnsentHours> },
    { .key = "file-gc-grace-minutes",
      .valueName = "min",
      .help = "Files garbage collection leaves anything younger (a deleted message's files go after this)",
      .defaultValue = "60",
      .minimum = 0,
      .maximum = 24 * 60 * 30,
      .apply = setNumber<&C::fileGcGraceMinutes> },
    { .key = "file-gc-interval-minutes",
      .valueName = "min",
      .help = "How often the files garbage collection runs by itself (0: only `confabctl files gc`)",
      .defaultValue = "60",
      .minimum = 0,
      .maximum = 24 * 60 * 7,
      .apply = setNumber<&C::fileGcIntervalMinutes> },
    { .key = "scrypt-cost",
      .valueName = "log2N",
      .help = "scrypt cost for new password hashes",
      .defaultValue = "15",
      .defaultNote = "15 = 32 MiB",
      .minimum = 10,
      .maximum = 20,
      .apply = setNumber<&C::scryptLog2N> },
    { .key = "events-per-second",
      .valueName = "n",
      .help = "Chat events one connection may send per second",
      .defaultValue = "50",
      .minimum = 1,
      .maximum = 1000000,
      .apply = setNumber<&C::eventsPerSecond> },
    { .key = "event-burst",
      .valueName = "n",
      .help = "Chat events one connection may send at once before the rate applies",
      .defaultValue = "200",
      .minimum = 1,
      .maximum = 1000000,
      .apply = setNumber<&C::eventBurst> },
    { .key = "trusted-proxies",
      .valueName = "cidrs",
      .help = "Comma-separated proxies (e.g. 10.0.0.0/8) whose X-Forwarded-For names the client",
      .apply = setTrustedProxies },
    { .key = "max-sessions-per-address",
      .valueName = "n",
      .help = "Open Engine.IO sessions one client address may hold; 0: no limit",
      .defaultValue = "1000",
      .minimum = 0,
      .maximum = 10000000,
      .apply = setNumber<&C::maxSessionsPerAddress> },
    { .key = "max-members-per-room",
      .valueName = "n",
      .help = "Members a room may have",
      .defaultValue = "10000",
      .minimum = 2,
      .maximum = 10000000,
      .apply = setNumber<&C::maxMembersPerRoom> },
    { .key = "max-rooms-per-user",
      .valueName = "n",
      .help = "Rooms a user may belong to",
      .defaultValue = "1000",
      .minimum = 1,
      .maximum = 1000000,
      .apply = setNumber<&C::maxRoomsPerUser> },
    { .key = "log-format",
      .valueName = "text|json|journal",
      .help = "Log lines as text, JSON objects, or with journald priorities",
      .computedDefault = logFormatForHere,
      .defaultNote = "journal under systemd, else text",
      .apply = setLogFormat },
    { .key = "outbound-budget-kb",
      .valueName = "KiB",
      .help
      = "Backlog one connection may have before it misses typing/presence (half) and is closed as a slow consumer",
      .defaultValue = "2048",
      .minimum = 16,
      .maximum = 1024 * 1024,
      .apply = setNumber<&C::outboundBudgetKb> },
    { .key = "pause-reads-at",
      .valueName = "n",
      .help = "Messages waiting for the store above which reading from clients pauses until half are stored; 0: never",
      .defaultValue = "10000",
      .minimum = 0,
      .maximum = 100000000,
      .apply = setNumber<&C::pauseReadsAt> },
    { .key = "workers",
      .valueName = "n",
      .help = "Threads serving WebSocket connections: framing, reads and writes",
      .computedDefault = coreCount,
      .defaultNote = "the number of cores",
      .minimum = 1,
      .maximum = 256,
      .apply = setNumber<&C::workers> },
    { .key = "max-connections",
      .valueName = "n",
      .help = "Engine.IO sessions this node holds before it refuses new ones with 503; 0: no limit",
      .defaultValue = "0",
      .minimum = 0,
      .maximum = 10000000,
      .apply = setNumber<&C::maxConnections> },
    { .key = "max-accept-rate",
      .valueName = "n",
      .help = "New sessions admitted per second, to ride out reconnect storms; 0: no limit",
      .defaultValue = "0",
      .minimum = 0,
      .maximum = 1000000,
      .apply = setNumber<&C::maxAcceptRate> },
    { .key = "memory-high-mb",
      .valueName = "MiB",
      .help = "Resident memory above which the node takes no new connections; 0: not watched",
      .defaultValue = "0",
      .minimum = 0,
      .maximum = 10000000,
      .apply = setNumber<&C::memoryHighMb> },
    { .key = "memory-critical-mb",
      .valueName = "MiB",
      .help = "Resident memory above which the node also sheds connections; 0: not watched",
      .defaultValue = "0",
      .minimum = 0,
      .maximum = 10000000,
      .apply = setNumber<&C::memoryCriticalMb> },
    { .key = "lag-high-ms",
      .valueName = "ms",
      .help = "Event-loop lag above which the node takes no new connections; 0: not watched",
      .defaultValue = "2000",
      .minimum = 0,
      .maximum = 600000,
      .apply = setNumber<&C::lagHighMs> },
    { .key = "lag-critical-ms",
      .valueName = "ms",
      .help = "Event-loop lag above which the node also sheds connections; 0: not watched",
      .defaultValue = "0",
      .minimum = 0,
      .maximum = 600000,
      .apply = setNumber<&C::lagCriticalMs> },
    { .key = "drain-seconds",
      .valueName = "s",
      .help = "SIGTERM and confabctl drain move clients off over this long, then exit",
      .defaultValue = "10",
      .minimum = 0,
      .maximum = 3600,
      .apply = setNumber<&C::drainSeconds> },
    { .key = "redis",
      .valueName = "url",
      .help = "Join a cluster: redis://host:port[/db] or redis+sentinel://host:port[,host:port...]/master[/db]",
      .apply = setText<&C::redisUrl> },
    { .key = "node-id",
      .valueName = "id",
      .help = "This node's name in the cluster, [a-z0-9-], unique; it prefixes Engine.IO session ids",
      .computedDefault = randomNodeId,
      .defaultNote = "random",
      .apply = setNodeId },
    { .key = "redis-wait-replicas",
      .valueName = "n",
      .help = "Acknowledge a message once this many Redis replicas have it",
      .defaultValue = "0",
      .defaultNote = "0: the master alone",
      .minimum = 0,
      .maximum = 16,
      .apply = setNumber<&C::redisWaitReplicas> },
};

} // namespace

QString NodeOption::flagName() const
{
    return QLatin1String("--") + QLatin1String(key);
}

QString NodeOption::environmentName() const
{
    return QLatin1String("CONFAB_") + QString::fromLatin1(key).toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

QString NodeOption::helpText() const
{
    const char *shown = defaultNote ? defaultNote : defaultValue;
    return QString::fromUtf8(help)
        + (shown ? QStringLiteral(" (%1).").arg(QString::fromUtf8(shown)) : QStringLiteral("."));
}

QString NodeOption::defaultText(const NodeConfig &config) const
{
    if (computedDefault)
        return computedDefault(config);
    return defaultValue ? QString::fromLatin1(defaultValue) : QString();
}

std::span<const NodeOption> nodeOptions()
{
    return Options;
}

const NodeOption *findNodeOption(QStringView key)
{
    for (const NodeOption &option : Options) {
        if (key == QLatin1String(option.key))
            return &option;
    }
    return nullptr;
}

QString nodeOptionsMarkdown()
{
    QString table = QStringLiteral("| INI key | flag | environment | meaning (default) |\n|---|---|---|---|\n");
    for (const NodeOption &option : Options)
        table += QStringLiteral("| `%1` | `%2` | `%3` | %4 |\n")
                     .arg(QLatin1String(option.key), option.flagName(), option.environmentName(), option.helpText());
    return table;
}

} // namespace Confab::App
