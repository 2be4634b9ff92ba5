// confabctl: the operator's tool. Talks to a confabd's admin API with its admin token
// and prints one JSON object per line.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QUrl>

namespace {

int usage(const QCommandLineParser &parser)
{
    fputs(qPrintable(parser.helpText()), stderr);
    return 64;
}

QByteArray readAdminToken(const QString &file, QString *error)
{
    if (const QByteArray fromEnvironment = qgetenv("CONFAB_ADMIN_TOKEN"); !fromEnvironment.isEmpty())
        return fromEnvironment.trimmed();
    QFile handle(file);
    if (!handle.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read admin token %1: %2 (use --admin-token-file or CONFAB_ADMIN_TOKEN)")
                     .arg(file, handle.errorString());
        return {};
    }
    return handle.readAll().trimmed();
}

// The command line: the commands in the description, and the options.
struct ControlOptions
{
    QCommandLineOption server;
    QCommandLineOption tokenFile;
    QCommandLineOption passwordEnv;
};

ControlOptions addOptions(QCommandLineParser *parser)
{
    parser->setApplicationDescription(
        QStringLiteral("Confab administration.\n\nCommands:\n"
                       "  user add NAME        create an account (password from --password-env)\n"
                       "  user list            list accounts\n"
                       "  user disable NAME    refuse the account's logins and connections\n"
                       "  user enable NAME     allow it again\n"
                       "  room list            list rooms with member counts and last seq\n"
                       "  room members ROOM    the room's members with their roles\n"
                       "  room owner ROOM USER make USER the room's owner (when the owner is gone)\n"
                       "  files usage          uploads: records, contents, bytes, the heaviest users\n"
                       "  files gc             delete the files no message carries any more, now\n"
                       "  broadcast TEXT       send an announcement to every connected user\n"
                       "  stats                connected users, messages, rooms, connections and load\n"
                       "  nodes                the cluster's nodes: alive, users, which one answered\n"
                       "  drain                move every client to other nodes (server:advice), then exit\n"
                       "  shed N               move N clients to other nodes now (rebalance a cluster)"));
    parser->addHelpOption();
    parser->addVersionOption();
    const QString defaultTokenFile = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                         .filePath(QStringLiteral("admin-token"));
    ControlOptions options {
        QCommandLineOption(QStringLiteral("server"), QStringLiteral("confabd URL (http://127.0.0.1:7480)."),
                           QStringLiteral("url"), QStringLiteral("http://127.0.0.1:7480")),
        QCommandLineOption(QStringLiteral("admin-token-file"),
                           QStringLiteral("File holding the admin token (%1).").arg(defaultTokenFile),
                           QStringLiteral("file"), defaultTokenFile),
        QCommandLineOption(QStringLiteral("password-env"),
                           QStringLiteral("Environment variable holding the new user's password."),
                           QStringLiteral("var"), QStringLiteral("CONFAB_PASSWORD")),
    };
    parser->addOptions({ options.server, options.tokenFile, options.passwordEnv });
    parser->addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see above)."));
    return options;
}

// One admin API request: method, path under /api/v1/admin, JSON body (POST only).
struct AdminCall
{
    QString method = QStringLiteral("GET");
    QString path;
    QJsonObject body;
};

enum class CommandError { None, Usage, NoPassword };

// The request for the command's words; NoPassword when `user add` finds no password in
// $passwordVariable.
CommandError adminCallFor(const QStringList &args, const QString &passwordVariable, AdminCall *call)
{
    const QString command = args.value(0) + QLatin1Char(' ') + args.value(1);
    if (command == QLatin1String("user list") && args.size() == 2) {
        call->path = QStringLiteral("/users");
    } else if (command == QLatin1String("user add") && args.size() == 3) {
        const QString password = qEnvironmentVariable(passwordVariable.toLatin1().constData());
        if (password.isEmpty())
            return CommandError::NoPassword;
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/users");
        call->body = { { QStringLiteral("username"), args[2] }, { QStringLiteral("password"), password } };
    } else if ((command == QLatin1String("user disable") || command == QLatin1String("user enable"))
               && args.size() == 3) {
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/users/%1/%2").arg(args[2], args[1]);
    } else if (command == QLatin1String("files usage") && args.size() == 2) {
        call->path = QStringLiteral("/files");
    } else if (command == QLatin1String("files gc") && args.size() == 2) {
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/files/gc");
    } else if (command == QLatin1String("room list") && args.size() == 2) {
        call->path = QStringLiteral("/rooms");
    } else if (command == QLatin1String("room members") && args.size() == 3) {
        call->path = QStringLiteral("/rooms/%1/members").arg(QString::fromLatin1(QUrl::toPercentEncoding(args[2])));
    } else if (command == QLatin1String("room owner") && args.size() == 4) {
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/rooms/%1/owner").arg(QString::fromLatin1(QUrl::toPercentEncoding(args[2])));
        call->body = { { QStringLiteral("user"), args[3] } };
    } else if (args.value(0) == QLatin1String("broadcast") && args.size() == 2) {
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/broadcast");
        call->body = { { QStringLiteral("text"), args[1] } };
    } else if (args.value(0) == QLatin1String("stats") && args.size() == 1) {
        call->path = QStringLiteral("/stats");
    } else if (args.value(0) == QLatin1String("nodes") && args.size() == 1) {
        call->path = QStringLiteral("/nodes");
    } else if (args.value(0) == QLatin1String("drain") && args.size() == 1) {
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/drain");
    } else if (args.value(0) == QLatin1String("shed") && args.size() == 2 && args[1].toInt() > 0) {
        call->method = QStringLiteral("POST");
        call->path = QStringLiteral("/shed");
        call->body = { { QStringLiteral("count"), args[1].toInt() } };
    } else {
        return CommandError::Usage;
    }
    return CommandError::None;
}

// Prints a success's JSON (lists one element per line, anything else as one line) or the
// error; returns the exit code.
int printReply(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    if (status >= 200 && status < 300) {
        const QJsonObject object = QJsonDocument::fromJson(answer).object();
        QJsonValue list;
        for (const char *key : { "users", "rooms", "nodes", "members" }) {
            if (object.value(QLatin1String(key)).isArray())
                list = object.value(QLatin1String(key));
        }
        if (list.isArray()) {
            for (const QJsonValue &item : list.toArray())
                fprintf(stdout, "%s\n", QJsonDocument(item.toObject()).toJson(QJsonDocument::Compact).constData());
        } else {
            fprintf(stdout, "%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
        }
        return 0;
    }
    if (status == 0)
        fprintf(stderr, "confabctl: %s\n", qPrintable(reply->errorString()));
    else
        fprintf(stderr, "confabctl: HTTP %d: %s\n", status, answer.trimmed().constData());
    return 1;
}

// Sends the call with the admin token and waits for the answer; returns the exit code.
int send(QCoreApplication &app, const QString &server, const QByteArray &token, const AdminCall &call)
{
    QNetworkRequest request(QUrl(server + QLatin1String("/api/v1/admin") + call.path));
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkAccessManager network;
    QNetworkReply *reply = call.method == QLatin1String("POST")
        ? network.post(request, QJsonDocument(call.body).toJson(QJsonDocument::Compact))
        : network.get(request);
    int exitCode = 1;
    QObject::connect(reply, &QNetworkReply::finished, &app, [&] {
        exitCode = printReply(reply);
        reply->deleteLater();
        app.quit();
    });
    app.exec();
    return exitCode;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("confab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
    QCommandLineParser parser;
    const ControlOptions options = addOptions(&parser);
    parser.process(app);

    AdminCall call;
    switch (adminCallFor(parser.positionalArguments(), parser.value(options.passwordEnv), &call)) {
    case CommandError::None: break;
    case CommandError::NoPassword:
        fprintf(stderr, "confabctl: set the password in $%s\n", qPrintable(parser.value(options.passwordEnv)));
        return 64;
    case CommandError::Usage: return usage(parser);
    }
    QString error;
    const QByteArray token = readAdminToken(parser.value(options.tokenFile), &error);
    if (token.isEmpty()) {
        fprintf(stderr, "confabctl: %s\n", qPrintable(error));
        return 2;
    }
    return send(app, parser.value(options.server), token, call);
}
