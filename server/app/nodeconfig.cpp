#include "app/nodeconfig.h"

#include "ops/logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace Confab::App {

namespace {

struct OptionSpec
{
    const char *name;
    const char *valueName;
    const char *description;
};

// The one table of options: flag name, CONFAB_<NAME> variable, INI key.
constexpr OptionSpec Options[] = {
    { "listen", "addr:port", "Address and port to serve HTTP, WebSocket and the API on (127.0.0.1:7480)." },
    { "data-dir", "dir", "Where the database and secrets live (the XDG data dir)." },
    { "allow-register", "on|off", "Let anyone create an account with POST /api/v1/register (on)." },
    { "token-secret-file", "file", "HS256 secret for login tokens; created if absent (<data-dir>/token-secret)." },
    { "previous-token-secret-file", "file", "A retired secret whose tokens are still accepted (key rotation)." },
    { "token-ttl", "seconds", "How long a login token lasts (2592000 = 30 days)." },
    { "admin-token-file", "file", "Bearer token for the admin API; created if absent (<data-dir>/admin-token)." },
    { "tls-cert", "file", "PEM certificate chain: serve https and wss." },
    { "tls-key", "file", "PEM private key for --tls-cert." },
    { "cors-origin", "origins", "Comma-separated origins allowed for browser clients, or *." },
    { "ping-interval", "ms", "Engine.IO ping interval (25000)." },
    { "ping-timeout", "ms", "Engine.IO ping timeout (20000)." },
    { "max-payload", "bytes", "Largest Engine.IO message or HTTP body accepted (1000000)." },
    { "scrypt-cost", "log2N", "scrypt cost for new password hashes (15 = 32 MiB)." },
    { "events-per-second", "n", "Chat events one connection may send per second (50)." },
    { "event-burst", "n", "Chat events one connection may send at once before the rate applies (200)." },
    { "trusted-proxies", "cidrs", "Comma-separated proxies (e.g. 10.0.0.0/8) whose X-Forwarded-For names the client." },
    { "max-sessions-per-address", "n", "Open Engine.IO sessions one client address may hold; 0: no limit (1000)." },
    { "max-members-per-room", "n", "Members a room may have (10000)." },
    { "max-rooms-per-user", "n", "Rooms a user may belong to (1000)." },
    { "log-format", "text|json|journal", "Log lines as text, JSON objects, or with journald priorities (journal under systemd, else text)." },
    { "outbound-budget-kb", "KiB", "Backlog one connection may have before it misses typing/presence (half) and is closed as a slow consumer (2048)." },
    { "pause-reads-at", "n", "Messages waiting for the store above which reading from clients pauses until half are stored; 0: never (10000)." },
    { "workers", "n", "Threads serving WebSocket connections: framing, reads and writes (the number of cores)." },
    { "max-connections", "n", "Engine.IO sessions this node holds before it refuses new ones with 503; 0: no limit (0)." },
    { "max-accept-rate", "n", "New sessions admitted per second, to ride out reconnect storms; 0: no limit (0)." },
    { "memory-high-mb", "MiB", "Resident memory above which the node takes no new connections; 0: not watched (0)." },
    { "memory-critical-mb", "MiB", "Resident memory above which the node also sheds connections; 0: not watched (0)." },
    { "lag-high-ms", "ms", "Event-loop lag above which the node takes no new connections; 0: not watched (2000)." },
    { "lag-critical-ms", "ms", "Event-loop lag above which the node also sheds connections; 0: not watched (0)." },
    { "drain-seconds", "s", "SIGTERM and confabctl drain move clients off over this long, then exit (10)." },
    { "redis", "url", "Join a cluster: redis://host:port[/db] or redis+sentinel://host:port[,host:port...]/master[/db]." },
    { "node-id", "id", "This node's name in the cluster, [a-z0-9-], unique; it prefixes Engine.IO session ids (random)." },
    { "redis-wait-replicas", "n", "Acknowledge a message once this many Redis replicas have it (0: the master alone)." },
};

QString environmentName(const char *option)
{
    return QLatin1String("CONFAB_") + QString::fromLatin1(option).toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

bool parseBool(const QString &text, bool *ok)
{
    const QString value = text.toLower();
    *ok = true;
    if (value == QLatin1String("on") || value == QLatin1String("true") || value == QLatin1String("1") || value == QLatin1String("yes"))
        return true;
    if (value == QLatin1String("off") || value == QLatin1String("false") || value == QLatin1String("0") || value == QLatin1String("no"))
        return false;
    *ok = false;
    return false;
}

} // namespace

ConfigOutcome loadNodeConfig(const QStringList &arguments, NodeConfig *config, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Confab chat server"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("INI file with any of these options."),
                                          QStringLiteral("file"));
    parser.addOption(configOption);
    const QCommandLineOption checkOption(QStringLiteral("check-config"),
                                         QStringLiteral("Validate the configuration (flags, environment, file), say what is wrong, and exit."));
    parser.addOption(checkOption);
    for (const OptionSpec &spec : Options)
        parser.addOption({ QString::fromLatin1(spec.name), QString::fromLatin1(spec.description), QString::fromLatin1(spec.valueName) });
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return ConfigOutcome::Error;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        fputs(qPrintable(parser.helpText()), stdout);
        return ConfigOutcome::Exit;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        fprintf(stdout, "confabd %s\n", qPrintable(QCoreApplication::applicationVersion()));
        return ConfigOutcome::Exit;
    }

    QString configFile = parser.value(configOption);
    if (configFile.isEmpty())
        configFile = qEnvironmentVariable("CONFAB_CONFIG");
    std::optional<QSettings> settings;
    if (!configFile.isEmpty()) {
        if (!QFile::exists(configFile)) {
            *error = QStringLiteral("config file %1 does not exist").arg(configFile);
            return ConfigOutcome::Error;
        }
        settings.emplace(configFile, QSettings::IniFormat);
        if (settings->status() != QSettings::NoError) {
            *error = QStringLiteral("config file %1 is not valid INI").arg(configFile);
            return ConfigOutcome::Error;
        }
        // A misspelt key would otherwise be ignored in silence.
        for (const QString &key : settings->allKeys()) {
            const bool known = std::any_of(std::begin(Options), std::end(Options),
                                           [&key](const OptionSpec &spec) { return key == QLatin1String(spec.name); });
            if (!known) {
                *error = QStringLiteral("config file %1: unknown key \"%2\" (confabd --help lists the keys)").arg(configFile, key);
                return ConfigOutcome::Error;
            }
        }
    }
    auto value = [&](const char *name) -> std::optional<QString> {
        const QString option = QString::fromLatin1(name);
        if (parser.isSet(option))
            return parser.value(option);
        if (qEnvironmentVariableIsSet(environmentName(name).toLatin1().constData()))
            return qEnvironmentVariable(environmentName(name).toLatin1().constData());
        if (settings && settings->contains(option))
            return settings->value(option).toString();
        return std::nullopt;
    };
    auto number = [&](const char *name, qint64 minimum, qint64 maximum, qint64 *out) {
        if (auto text = value(name)) {
            bool ok = false;
            const qint64 parsed = text->toLongLong(&ok);
            if (!ok || parsed < minimum || parsed > maximum) {
                *error = QStringLiteral("--%1 must be a number from %2 to %3").arg(QLatin1String(name)).arg(minimum).arg(maximum);
                return false;
            }
            *out = parsed;
        }
        return true;
    };

    if (auto listen = value("listen")) {
        const qsizetype colon = listen->lastIndexOf(QLatin1Char(':'));
        bool ok = false;
        const uint port = colon < 0 ? 0 : listen->mid(colon + 1).toUInt(&ok);
        if (colon <= 0 || !ok || port > 65535) {
            *error = QStringLiteral("--listen must be ADDR:PORT, e.g. 127.0.0.1:7480");
            return ConfigOutcome::Error;
        }
        config->listenAddress = listen->left(colon).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        config->listenPort = quint16(port);
    }
    config->dataDir = value("data-dir").value_or(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    if (auto allow = value("allow-register")) {
        bool ok = false;
        config->allowRegister = parseBool(*allow, &ok);
        if (!ok) {
            *error = QStringLiteral("--allow-register must be on or off");
            return ConfigOutcome::Error;
        }
    }
    config->tokenSecretFile = value("token-secret-file").value_or(QDir(config->dataDir).filePath(QStringLiteral("token-secret")));
    config->previousTokenSecretFile = value("previous-token-secret-file").value_or(QString());
    config->adminTokenFile = value("admin-token-file").value_or(QDir(config->dataDir).filePath(QStringLiteral("admin-token")));
    config->tlsCert = value("tls-cert").value_or(QString());
    config->tlsKey = value("tls-key").value_or(QString());
    if (config->tlsCert.isEmpty() != config->tlsKey.isEmpty()) {
        *error = QStringLiteral("--tls-cert and --tls-key go together");
        return ConfigOutcome::Error;
    }
    if (auto origins = value("cors-origin"))
        config->corsOrigins = origins->split(QLatin1Char(','), Qt::SkipEmptyParts);
    qint64 interval = config->pingIntervalMs, timeout = config->pingTimeoutMs, scrypt = config->scryptLog2N;
    qint64 rate = config->eventsPerSecond, burst = config->eventBurst;
    if (!number("token-ttl", 60, 365LL * 24 * 3600, &config->tokenTtlSeconds)
        || !number("ping-interval", 100, 600000, &interval) || !number("ping-timeout", 100, 600000, &timeout)
        || !number("max-payload", 1024, 100000000, &config->maxPayload) || !number("scrypt-cost", 10, 20, &scrypt)
        || !number("events-per-second", 1, 1000000, &rate) || !number("event-burst", 1, 1000000, &burst))
        return ConfigOutcome::Error;
    config->pingIntervalMs = int(interval);
    config->pingTimeoutMs = int(timeout);
    config->scryptLog2N = int(scrypt);
    config->eventsPerSecond = int(rate);
    config->eventBurst = int(burst);

    if (auto proxies = value("trusted-proxies")) {
        for (const QString &cidr : proxies->split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto subnet = QHostAddress::parseSubnet(cidr.trimmed().contains(QLatin1Char('/')) ? cidr.trimmed()
                                                                                                     : cidr.trimmed() + QStringLiteral("/32"));
            if (subnet.first.isNull()) {
                *error = QStringLiteral("--trusted-proxies: \"%1\" is not an address or subnet").arg(cidr);
                return ConfigOutcome::Error;
            }
            config->trustedProxies.append(subnet);
        }
    }
    qint64 perAddress = config->maxSessionsPerAddress, perRoom = config->maxMembersPerRoom, perUser = config->maxRoomsPerUser;
    if (!number("max-sessions-per-address", 0, 10000000, &perAddress) || !number("max-members-per-room", 2, 10000000, &perRoom)
        || !number("max-rooms-per-user", 1, 1000000, &perUser))
        return ConfigOutcome::Error;
    config->maxSessionsPerAddress = int(perAddress);
    config->maxMembersPerRoom = int(perRoom);
    config->maxRoomsPerUser = int(perUser);

    if (auto format = value("log-format")) {
        if (!Ops::parseLogFormat(*format)) {
            *error = QStringLiteral("--log-format must be text, json or journal");
            return ConfigOutcome::Error;
        }
        config->logFormat = *format;
    }
    qint64 outboundBudget = config->outboundBudgetKb;
    if (!number("outbound-budget-kb", 16, 1024 * 1024, &outboundBudget))
        return ConfigOutcome::Error;
    config->outboundBudgetKb = int(outboundBudget);
    qint64 pauseReadsAt = config->pauseReadsAt;
    if (!number("pause-reads-at", 0, 100000000, &pauseReadsAt))
        return ConfigOutcome::Error;
    config->pauseReadsAt = int(pauseReadsAt);
    qint64 workers = config->workers;
    if (!number("workers", 1, 256, &workers))
        return ConfigOutcome::Error;
    config->workers = int(workers);
    qint64 maxConnections = config->maxConnections, acceptRate = config->maxAcceptRate;
    qint64 memoryHigh = config->memoryHighMb, memoryCritical = config->memoryCriticalMb;
    qint64 lagHigh = config->lagHighMs, lagCritical = config->lagCriticalMs, drain = config->drainSeconds;
    if (!number("max-connections", 0, 10000000, &maxConnections) || !number("max-accept-rate", 0, 1000000, &acceptRate)
        || !number("memory-high-mb", 0, 10000000, &memoryHigh) || !number("memory-critical-mb", 0, 10000000, &memoryCritical)
        || !number("lag-high-ms", 0, 600000, &lagHigh) || !number("lag-critical-ms", 0, 600000, &lagCritical)
        || !number("drain-seconds", 0, 3600, &drain))
        return ConfigOutcome::Error;
    if ((memoryCritical > 0 && memoryHigh > memoryCritical) || (lagCritical > 0 && lagHigh > lagCritical)) {
        *error = QStringLiteral("a high mark must not be above its critical mark");
        return ConfigOutcome::Error;
    }
    config->maxConnections = int(maxConnections);
    config->maxAcceptRate = int(acceptRate);
    config->memoryHighMb = int(memoryHigh);
    config->memoryCriticalMb = int(memoryCritical);
    config->lagHighMs = int(lagHigh);
    config->lagCriticalMs = int(lagCritical);
    config->drainSeconds = int(drain);

    config->redisUrl = value("redis").value_or(QString());
    if (auto node = value("node-id")) {
        static const QRegularExpression nodePattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,31}$"));
        if (!nodePattern.match(*node).hasMatch()) {
            *error = QStringLiteral("--node-id must match ^[a-z0-9][a-z0-9-]{0,31}$");
            return ConfigOutcome::Error;
        }
        config->nodeId = *node;
    }
    qint64 replicas = config->redisWaitReplicas;
    if (!number("redis-wait-replicas", 0, 16, &replicas))
        return ConfigOutcome::Error;
    config->redisWaitReplicas = int(replicas);
    if (parser.isSet(checkOption)) {
        for (const QString &file : { config->tlsCert, config->tlsKey, config->previousTokenSecretFile }) {
            if (!file.isEmpty() && !QFileInfo(file).isReadable()) {
                *error = QStringLiteral("%1 is not readable").arg(file);
                return ConfigOutcome::Error;
            }
        }
        fprintf(stdout, "confabd: configuration OK%s\n",
                configFile.isEmpty() ? "" : qPrintable(QStringLiteral(" (%1)").arg(configFile)));
        return ConfigOutcome::Exit;
    }
    return ConfigOutcome::Run;
}

} // namespace Confab::App
