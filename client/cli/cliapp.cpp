#include "cliapp.h"

#include "chatsession.h"
#include "clioutput.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTimer>

namespace Confab::Cli {

using Client::ChatSession;
using Client::EngineIoClient;
using Client::ReconnectController;

namespace {

QString option(const char *name)
{
    return QString::fromLatin1(name);
}

// The CLI keeps its login token in a 0600 file in its data dir (headless machines have
// no keychain); the desktop app keeps it in the OS keychain.
QString tokenPath(const QString &dataDir, const QString &user)
{
    return QDir(dataDir).filePath(QStringLiteral("token-%1").arg(user));
}

void saveToken(const QString &dataDir, const QString &user, const QString &token)
{
    QFile file(tokenPath(dataDir, user));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(token.toUtf8());
    }
}

QString loadToken(const QString &dataDir, const QString &user)
{
    QFile file(tokenPath(dataDir, user));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}

EngineIoClient::TransportMode transportMode(const QString &name)
{
    if (name == QLatin1String("websocket"))
        return EngineIoClient::TransportMode::WebSocketOnly;
    if (name == QLatin1String("polling"))
        return EngineIoClient::TransportMode::PollingOnly;
    return EngineIoClient::TransportMode::Auto;
}

void addOptions(QCommandLineParser *parser)
{
    parser->setApplicationDescription(QStringLiteral("Confab command-line client.\n\n") + commandsHelp());
    parser->addHelpOption();
    parser->addVersionOption();
    parser->addOptions({
        { option("ca-file"), QStringLiteral("Extra trusted CA certificates (PEM) for https."), QStringLiteral("file") },
        { option("server"), QStringLiteral("Server URL."), QStringLiteral("url"),
          QStringLiteral("http://127.0.0.1:7480") },
        { option("user"), QStringLiteral("Username."), QStringLiteral("name") },
        { option("password-env"), QStringLiteral("Variable holding the password."), QStringLiteral("var"),
          QStringLiteral("CONFAB_PASSWORD") },
        { option("register"), QStringLiteral("Create the account if needed.") },
        { option("data-dir"), QStringLiteral("Outbox, cache and token."), QStringLiteral("dir"),
          QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/cli") },
        { option("transport"), QStringLiteral("auto, websocket or polling."), QStringLiteral("kind"),
          QStringLiteral("auto") },
        { option("queue"), QStringLiteral("send: leave it queued if unreachable.") },
        { option("join"), QStringLiteral("listen: join the rooms first, as join does.") },
        { option("count"), QStringLiteral("listen: stop after N messages."), QStringLiteral("n") },
        { option("timeout"), QStringLiteral("Give up after S seconds (30)."), QStringLiteral("s"),
          QStringLiteral("30") },
        { option("after"), QStringLiteral("history: after this seq."), QStringLiteral("seq") },
        { option("before"), QStringLiteral("search: before this seq (with ROOM)."), QStringLiteral("seq") },
        { option("limit"), QStringLiteral("history: at most N (50); search: at most N (20, up to 50)."),
          QStringLiteral("n"), QStringLiteral("50") },
        { option("reply-to"), QStringLiteral("send: in reply to this message."), QStringLiteral("id") },
        { option("after-rev"), QStringLiteral("updates: after this rev (0)."), QStringLiteral("rev"),
          QStringLiteral("0") },
        { option("off"), QStringLiteral("react: take the reaction back; ban: lift the ban.") },
        { option("private"), QStringLiteral("create: a private room (members join by invitation).") },
        { option("attach"), QStringLiteral("send: upload this file and attach it (repeatable)."),
          QStringLiteral("file") },
        { { QStringLiteral("o"), option("output") },
          QStringLiteral("download: write the file here."),
          QStringLiteral("file") },
    });
    parser->addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see above)."));
}

} // namespace

CliApp::CliApp() = default;

CliApp::~CliApp() = default;

int CliApp::exec()
{
    parseOptions();
    openSession();
    startTimeout();
    m_run = m_command->prepare(*m_context);
    QObject::connect(m_session.get(), &ChatSession::synced, m_session.get(), [this] { m_run(); });
    handleConnection();
    handleLogin();
    logIn();
    const int code = QCoreApplication::exec();
    if (!m_context->pendingClientId.isEmpty() && code != Ok && !m_context->options.queue)
        m_session->localStore()->removeFromOutbox(m_context->pendingClientId); // not sent, not queued
    return code;
}

// Exits with the help (64) or a usage error unless the command line makes sense.
void CliApp::parseOptions()
{
    addOptions(&m_parser);
    m_parser.process(*QCoreApplication::instance());
    const QStringList args = m_parser.positionalArguments();
    m_command = findCommand(args.value(0));
    if (!m_command || args.size() <= m_command->minimumArguments || !m_parser.isSet(option("user"))) {
        fputs(qPrintable(m_parser.helpText()), stderr);
        ::exit(Usage);
    }
    const QString transport = m_parser.value(option("transport"));
    if (transport != QLatin1String("auto") && transport != QLatin1String("websocket")
        && transport != QLatin1String("polling"))
        fail(Usage, QStringLiteral("--transport must be auto, websocket or polling"));
    m_username = m_parser.value(option("user"));
    m_dataDir = m_parser.value(option("data-dir"));
    m_password = qEnvironmentVariable(m_parser.value(option("password-env")).toLatin1().constData());
}

void CliApp::openSession()
{
    QDir().mkpath(m_dataDir);
    m_session = std::make_unique<ChatSession>();
    QString error;
    if (!m_session->openLocalStore(QDir(m_dataDir).filePath(QStringLiteral("%1.db").arg(m_username)), &error))
        fail(Failed, QStringLiteral("cannot open the local store: %1").arg(error));
    m_session->setServerUrl(QUrl(m_parser.value(option("server"))));
    const QString caFile = m_parser.value(option("ca-file"));
    if (m_parser.isSet(option("ca-file")) && !m_session->setCaFile(caFile))
        fail(Usage, QStringLiteral("cannot read CA certificates from %1").arg(caFile));
    m_session->client()->engine()->setTransportMode(transportMode(m_parser.value(option("transport"))));

    CommandOptions options;
    options.queue = m_parser.isSet(option("queue"));
    options.join = m_parser.isSet(option("join"));
    if (m_parser.isSet(option("count")))
        options.count = m_parser.value(option("count")).toInt();
    if (m_parser.isSet(option("after")))
        options.after = m_parser.value(option("after")).toLongLong();
    if (m_parser.isSet(option("before")))
        options.before = m_parser.value(option("before")).toLongLong();
    options.limit = m_parser.value(option("limit")).toInt();
    options.limitGiven = m_parser.isSet(option("limit"));
    options.replyTo = m_parser.value(option("reply-to")).toLatin1();
    options.afterRev = m_parser.value(option("after-rev")).toLongLong();
    options.off = m_parser.isSet(option("off"));
    options.attachments = m_parser.values(option("attach"));
    options.output = m_parser.value(option("output"));
    options.isPrivate = m_parser.isSet(option("private"));
    m_context.reset(new CommandContext { *m_session, m_parser.positionalArguments().mid(1), options, {} });
}

// `listen` without --count runs for --timeout and ends well; everything else failed by then.
void CliApp::startTimeout()
{
    const bool listensUntilTimeout = m_command == findCommand(QStringLiteral("listen")) && m_context->options.count < 0;
    QTimer::singleShot(m_parser.value(option("timeout")).toInt() * 1000, m_session.get(), [listensUntilTimeout] {
        if (listensUntilTimeout)
            finishWith(Ok);
        else
            quitWith(Unavailable, QStringLiteral("timed out"));
    });
}

// send, edit, delete and react go through the outbox, which --queue may leave them in.
bool CliApp::isQueued() const
{
    return !m_context->pendingClientId.isEmpty() && m_context->options.queue;
}

void CliApp::reportQueued(bool withOutbox)
{
    QJsonObject line { { QStringLiteral("queued"), true }, { QStringLiteral("clientId"), m_context->pendingClientId } };
    if (withOutbox)
        line.insert(QStringLiteral("outbox"), int(m_session->localStore()->outbox().size()));
    printLine(line);
    finishWith(Ok);
}

// The socket: a refused token logs in again with the password; a lost connection is
// retried, and a queued send ends well at the first retry.
void CliApp::handleConnection()
{
    QObject::connect(m_session->connection(), &ReconnectController::refused, m_session.get(), [this] {
        if (m_usedSavedToken && !m_password.isEmpty()) {
            m_usedSavedToken = false; // expired or revoked: log in again
            return m_session->login(m_username, m_password);
        }
        quitWith(AuthFailed, QStringLiteral("the server refused the login token"));
    });
    QObject::connect(m_session->connection(), &ReconnectController::retryScheduled, m_session.get(),
                     [this](int attempt, int inMs) {
                         fprintf(stderr, "confab-cli: connection lost or refused; retry %d in %d ms\n", attempt, inMs);
                         // Unreachable on the first try: a queued send stays in the outbox for `flush`.
                         if (attempt == 1 && isQueued())
                             reportQueued(true);
                     });
}

// The HTTP login: its token is saved for the next run; a failure ends the run.
void CliApp::handleLogin()
{
    QObject::connect(m_session.get(), &ChatSession::loggedIn, m_session.get(),
                     [this](const QString &name, const QString &token) {
                         saveToken(m_dataDir, name, token);
                         m_session->connectToServer();
                     });
    QObject::connect(m_session.get(), &ChatSession::authenticationFailed, m_session.get(),
                     [this](int status, const QString &message) {
                         if (status == 409 && m_parser.isSet(option("register")))
                             return m_session->login(m_username, m_password); // already registered
                         const bool unreachable = status == 0 || status == 503;
                         if (unreachable && isQueued())
                             return reportQueued(false);
                         quitWith(unreachable ? Unavailable : AuthFailed,
                                  QStringLiteral("login failed (HTTP %1): %2").arg(status).arg(message));
                     });
}

// A saved token is used as is (it works offline too); otherwise log in.
void CliApp::logIn()
{
    const bool registers = m_parser.isSet(option("register"));
    const QString saved = loadToken(m_dataDir, m_username);
    if (!saved.isEmpty() && !registers) {
        m_usedSavedToken = true;
        m_session->setCredentials(m_username, saved);
        m_session->connectToServer();
        return;
    }
    if (m_password.isEmpty())
        fail(Usage, QStringLiteral("set the password in $%1").arg(m_parser.value(option("password-env"))));
    registers ? m_session->registerAccount(m_username, m_password) : m_session->login(m_username, m_password);
}

} // namespace Confab::Cli
