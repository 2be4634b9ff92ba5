// confab-cli: a headless Confab client for scripts and bots. One JSON object per line on
// stdout; errors on stderr with a non-zero exit code.
#include "chatsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTimer>

using namespace Confab::Client;

namespace {

enum ExitCode { Ok = 0, Failed = 1, Usage = 64, Unavailable = 69, AuthFailed = 77 };

void printLine(const QJsonObject &object)
{
    fprintf(stdout, "%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    fflush(stdout);
}

// Before the event loop runs: say why and exit.
[[noreturn]] void fail(int code, const QString &message)
{
    fprintf(stderr, "confab-cli: %s\n", qPrintable(message));
    ::exit(code);
}

// From inside the event loop: say why and leave it, so the clean-up after exec() runs.
void quitWith(int code, const QString &message)
{
    fprintf(stderr, "confab-cli: %s\n", qPrintable(message));
    QCoreApplication::exit(code);
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

QString errorCode(const QJsonObject &answer)
{
    return answer.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

// The server's refusal as "code: message".
QString refusal(const QJsonObject &answer)
{
    const QJsonObject e = answer.value(QStringLiteral("error")).toObject();
    return QStringLiteral("%1: %2").arg(e.value(QStringLiteral("code")).toString(), e.value(QStringLiteral("message")).toString());
}

// room:join, or room:create when there is no such room; `done` gets the last answer.
void joinOrCreate(ChatSession &session, const QString &room, const ChatSession::Reply &done)
{
    session.request(QStringLiteral("room:join"), { { QStringLiteral("room"), room } }, [&session, room, done](const QJsonObject &answer) {
        if (errorCode(answer) != QLatin1String("not_found"))
            return done(answer);
        session.request(QStringLiteral("room:create"), { { QStringLiteral("room"), room } }, done);
    });
}

// `listen`: prints the rooms' messages as the session hears them (the resync's catch-up
// included) until `count`. A room the user is not in would stay silent, so each room is
// checked first with history:fetch, whose refusal (forbidden, or not_found) is the
// server's own; with --join such a room is joined, and its newest page printed as the
// resync prints a room this device has not seen.
class Listener
{
public:
    Listener(ChatSession &session, const QStringList &rooms, int count, bool joinFirst)
        : m_session(session), m_rooms(rooms), m_remaining(count), m_joinFirst(joinFirst)
    {
    }

    void print(const QJsonObject &message)
    {
        if (!m_rooms.contains(message.value(QStringLiteral("room")).toString()) || m_remaining == 0)
            return;
        printLine(message);
        if (--m_remaining == 0)
            QCoreApplication::exit(Ok);
    }

    // Once synced.
    void start()
    {
        if (m_remaining == 0)
            return; // the catch-up was enough
        m_unchecked = int(m_rooms.size());
        for (const QString &room : std::as_const(m_rooms))
            check(room);
    }

private:
    void check(const QString &room)
    {
        const QJsonObject payload { { QStringLiteral("room"), room }, { QStringLiteral("limit"), 1 } };
        m_session.request(QStringLiteral("history:fetch"), payload, [this, room](const QJsonObject &answer) {
            if (m_remaining == 0)
                return; // done already (another room's page): its exit code stands
            const QString code = errorCode(answer);
            if (answer.value(QStringLiteral("ok")).toBool())
                return ready();
            if (m_joinFirst && (code == QLatin1String("forbidden") || code == QLatin1String("not_found")))
                return join(room);
            const QString hint = code == QLatin1String("forbidden") ? QStringLiteral(" (--join joins it first)") : QString();
            quitWith(Failed, QStringLiteral("%1: %2%3").arg(room, refusal(answer), hint));
        });
    }

    void join(const QString &room)
    {
        joinOrCreate(m_session, room, [this, room](const QJsonObject &answer) {
            if (!answer.value(QStringLiteral("ok")).toBool())
                return quitWith(Failed, refusal(answer));
            const QJsonObject payload { { QStringLiteral("room"), room }, { QStringLiteral("limit"), ChatSession::HistoryPageSize } };
            m_session.request(QStringLiteral("history:fetch"), payload, [this](const QJsonObject &page) {
                QList<QJsonObject> messages;
                for (const QJsonValue &m : page.value(QStringLiteral("messages")).toArray())
                    messages.append(m.toObject());
                // Those already heard live (and printed) are not new to the cache.
                for (const QJsonObject &message : m_session.localStore()->storeMessages(messages))
                    print(message);
                ready();
            });
        });
    }

    void ready()
    {
        if (--m_unchecked == 0 && m_remaining != 0)
            printLine({ { QStringLiteral("listening"), QJsonArray::fromStringList(m_rooms) } });
    }

    ChatSession &m_session;
    const QStringList m_rooms;
    int m_remaining; // -1: no --count
    const bool m_joinFirst;
    int m_unchecked = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("confab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Confab command-line client.\n\nCommands:\n"
        "  send ROOM TEXT        send and wait for the ack (--queue: keep it in the outbox if the server is unreachable)\n"
        "  flush                 send what the outbox holds\n"
        "  listen ROOM...        print messages as they arrive (--count, --timeout; --join: join the rooms first)\n"
        "  history ROOM          print stored messages (--after, --limit)\n"
        "  presence USER...      print users' presence\n"
        "  join ROOM             join a room, creating it if it does not exist\n"
        "  rooms                 print your rooms"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Server URL."), QStringLiteral("url"),
                                    QStringLiteral("http://127.0.0.1:7480"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("Username."), QStringLiteral("name"));
    const QCommandLineOption passwordEnv(QStringLiteral("password-env"), QStringLiteral("Variable holding the password."),
                                         QStringLiteral("var"), QStringLiteral("CONFAB_PASSWORD"));
    const QCommandLineOption registerOption(QStringLiteral("register"), QStringLiteral("Create the account if needed."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Outbox, cache and token."), QStringLiteral("dir"),
                                     QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/cli"));
    const QCommandLineOption transport(QStringLiteral("transport"), QStringLiteral("auto, websocket or polling."),
                                       QStringLiteral("kind"), QStringLiteral("auto"));
    const QCommandLineOption queue(QStringLiteral("queue"), QStringLiteral("send: leave it queued if unreachable."));
    const QCommandLineOption joinFirst(QStringLiteral("join"), QStringLiteral("listen: join the rooms first, as join does."));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("listen: stop after N messages."), QStringLiteral("n"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("Give up after S seconds (30)."),
                                     QStringLiteral("s"), QStringLiteral("30"));
    const QCommandLineOption after(QStringLiteral("after"), QStringLiteral("history: after this seq."), QStringLiteral("seq"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("history: at most N (50)."), QStringLiteral("n"),
                                   QStringLiteral("50"));
    const QCommandLineOption caFile(QStringLiteral("ca-file"), QStringLiteral("Extra trusted CA certificates (PEM) for https."),
                                    QStringLiteral("file"));
    parser.addOptions({ caFile, server, user, passwordEnv, registerOption, dataDir, transport, queue, joinFirst, count, timeout, after, limit });
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see above)."));
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    const QString command = args.value(0);
    const QHash<QString, int> minimumArguments { { QStringLiteral("send"), 3 }, { QStringLiteral("flush"), 1 },
                                                 { QStringLiteral("listen"), 2 }, { QStringLiteral("history"), 2 },
                                                 { QStringLiteral("presence"), 2 }, { QStringLiteral("join"), 2 },
                                                 { QStringLiteral("rooms"), 1 } };
    if (!minimumArguments.contains(command) || args.size() < minimumArguments.value(command) || !parser.isSet(user)) {
        fputs(qPrintable(parser.helpText()), stderr);
        return Usage;
    }
    const QString transportName = parser.value(transport);
    if (transportName != QLatin1String("auto") && transportName != QLatin1String("websocket") && transportName != QLatin1String("polling"))
        fail(Usage, QStringLiteral("--transport must be auto, websocket or polling"));

    const QString dir = parser.value(dataDir);
    QDir().mkpath(dir);
    const QString username = parser.value(user);
    ChatSession session;
    QString error;
    if (!session.openLocalStore(QDir(dir).filePath(QStringLiteral("%1.db").arg(username)), &error))
        fail(Failed, QStringLiteral("cannot open the local store: %1").arg(error));
    session.setServerUrl(QUrl(parser.value(server)));
    if (parser.isSet(caFile) && !session.setCaFile(parser.value(caFile)))
        fail(Usage, QStringLiteral("cannot read CA certificates from %1").arg(parser.value(caFile)));
    session.client()->engine()->setTransportMode(transportName == QLatin1String("websocket") ? EngineIoClient::TransportMode::WebSocketOnly
                                                 : transportName == QLatin1String("polling") ? EngineIoClient::TransportMode::PollingOnly
                                                                                             : EngineIoClient::TransportMode::Auto);
    // `listen` without --count runs for --timeout and ends well; everything else failed by then.
    const bool listensUntilTimeout = command == QLatin1String("listen") && !parser.isSet(count);
    QTimer::singleShot(parser.value(timeout).toInt() * 1000, &app, [listensUntilTimeout] {
        if (listensUntilTimeout)
            QCoreApplication::exit(Ok);
        else
            quitWith(Unavailable, QStringLiteral("timed out"));
    });

    // What the command does once the session is connected and synced.
    std::function<void()> run;
    QString pendingClientId;
    Listener listener(session, args.mid(1), parser.isSet(count) ? parser.value(count).toInt() : -1, parser.isSet(joinFirst));
    auto finishWith = [&](int code) { QCoreApplication::exit(code); };

    if (command == QLatin1String("send")) {
        const auto entry = session.sendMessage(args[1], args[2], &error);
        if (!entry)
            fail(Failed, QStringLiteral("cannot write the outbox: %1").arg(error));
        pendingClientId = entry->clientId;
        QObject::connect(&session, &ChatSession::messageSent, &app, [&](const QString &clientId, const QJsonObject &ack) {
            if (clientId != pendingClientId)
                return;
            QJsonObject line = ack;
            line.remove(QStringLiteral("ok"));
            line.insert(QStringLiteral("clientId"), clientId);
            printLine(line);
            finishWith(Ok);
        });
        QObject::connect(&session, &ChatSession::messageFailed, &app, [&](const QString &clientId, const QString &code, const QString &message) {
            if (clientId == pendingClientId)
                quitWith(Failed, QStringLiteral("%1: %2").arg(code, message));
        });
        run = [] {};
    } else if (command == QLatin1String("flush")) {
        auto reportWhenEmpty = [&] {
            int failed = 0, pending = 0;
            for (const OutboxEntry &entry : session.localStore()->outbox())
                (entry.failed ? failed : pending) += 1;
            if (pending == 0)
                finishWith(failed == 0 ? Ok : Failed);
        };
        QObject::connect(&session, &ChatSession::messageSent, &app, [&, reportWhenEmpty](const QString &clientId, const QJsonObject &ack) {
            QJsonObject line = ack;
            line.remove(QStringLiteral("ok"));
            line.insert(QStringLiteral("clientId"), clientId);
            printLine(line);
            reportWhenEmpty();
        });
        QObject::connect(&session, &ChatSession::messageFailed, &app, [&, reportWhenEmpty](const QString &clientId, const QString &code) {
            printLine({ { QStringLiteral("clientId"), clientId }, { QStringLiteral("failed"), code } });
            reportWhenEmpty();
        });
        run = reportWhenEmpty;
    } else if (command == QLatin1String("listen")) {
        QObject::connect(&session, &ChatSession::messageReceived, &app, [&](const QJsonObject &message) { listener.print(message); });
        run = [&] { listener.start(); };
    } else {
        run = [&] {
            // False (and the exit code set) when the server refused.
            auto answerOrFail = [&](const QJsonObject &answer) {
                if (answer.value(QStringLiteral("ok")).toBool())
                    return true;
                quitWith(Failed, refusal(answer));
                return false;
            };
            if (command == QLatin1String("history")) {
                QJsonObject payload { { QStringLiteral("room"), args[1] }, { QStringLiteral("limit"), parser.value(limit).toInt() } };
                if (parser.isSet(after))
                    payload.insert(QStringLiteral("afterSeq"), parser.value(after).toLongLong());
                session.request(QStringLiteral("history:fetch"), payload, [&, answerOrFail](const QJsonObject &answer) {
                    if (!answerOrFail(answer))
                        return;
                    for (const QJsonValue &m : answer.value(QStringLiteral("messages")).toArray())
                        printLine(m.toObject());
                    finishWith(Ok);
                });
            } else if (command == QLatin1String("presence")) {
                session.request(QStringLiteral("presence:get"), { { QStringLiteral("users"), QJsonArray::fromStringList(args.mid(1)) } },
                                [&, answerOrFail](const QJsonObject &answer) {
                                    if (!answerOrFail(answer))
                        return;
                                    const QJsonObject presence = answer.value(QStringLiteral("presence")).toObject();
                                    for (auto it = presence.begin(); it != presence.end(); ++it) {
                                        QJsonObject line = it.value().toObject();
                                        line.insert(QStringLiteral("user"), it.key());
                                        printLine(line);
                                    }
                                    finishWith(Ok);
                                });
            } else if (command == QLatin1String("join")) {
                joinOrCreate(session, args[1], [&, answerOrFail](const QJsonObject &answer) {
                    if (!answerOrFail(answer))
                        return;
                    printLine(answer.value(QStringLiteral("room")).toObject());
                    finishWith(Ok);
                });
            } else if (command == QLatin1String("rooms")) {
                session.request(QStringLiteral("room:list"), {}, [&, answerOrFail](const QJsonObject &answer) {
                    if (!answerOrFail(answer))
                        return;
                    for (const QJsonValue &room : answer.value(QStringLiteral("rooms")).toArray())
                        printLine(room.toObject());
                    finishWith(Ok);
                });
            }
        };
    }

    QObject::connect(&session, &ChatSession::synced, &app, [&] { run(); });
    const QString password = qEnvironmentVariable(parser.value(passwordEnv).toLatin1().constData());
    bool usedSavedToken = false;
    QObject::connect(session.connection(), &ReconnectController::refused, &app, [&] {
        if (usedSavedToken && !password.isEmpty()) {
            usedSavedToken = false; // expired or revoked: log in again
            return session.login(username, password);
        }
        quitWith(AuthFailed, QStringLiteral("the server refused the login token"));
    });
    QObject::connect(session.connection(), &ReconnectController::retryScheduled, &app, [&](int attempt, int inMs) {
        fprintf(stderr, "confab-cli: connection lost or refused; retry %d in %d ms\n", attempt, inMs);
        // Unreachable on the first try: a queued send stays in the outbox for `flush`.
        if (attempt == 1 && command == QLatin1String("send") && parser.isSet(queue)) {
            printLine({ { QStringLiteral("queued"), true }, { QStringLiteral("clientId"), pendingClientId },
                        { QStringLiteral("outbox"), int(session.localStore()->outbox().size()) } });
            finishWith(Ok);
        }
    });
    QObject::connect(&session, &ChatSession::loggedIn, &app, [&](const QString &name, const QString &token) {
        saveToken(dir, name, token);
        session.connectToServer();
    });
    QObject::connect(&session, &ChatSession::authenticationFailed, &app, [&](int status, const QString &message) {
        if (status == 409 && parser.isSet(registerOption))
            return session.login(username, password); // already registered
        if ((status == 0 || status == 503) && command == QLatin1String("send") && parser.isSet(queue)) {
            printLine({ { QStringLiteral("queued"), true }, { QStringLiteral("clientId"), pendingClientId } });
            return finishWith(Ok);
        }
        quitWith(status == 0 || status == 503 ? Unavailable : AuthFailed, QStringLiteral("login failed (HTTP %1): %2").arg(status).arg(message));
    });

    // A saved token is used as is (it works offline too); otherwise log in.
    const QString saved = loadToken(dir, username);
    if (!saved.isEmpty() && !parser.isSet(registerOption)) {
        usedSavedToken = true;
        session.setCredentials(username, saved);
        session.connectToServer();
    } else {
        if (password.isEmpty())
            fail(Usage, QStringLiteral("set the password in $%1").arg(parser.value(passwordEnv)));
        parser.isSet(registerOption) ? session.registerAccount(username, password) : session.login(username, password);
    }
    const int code = app.exec();
    if (command == QLatin1String("send") && code != Ok && !parser.isSet(queue))
        session.localStore()->removeFromOutbox(pendingClientId); // not sent, not queued
    return code;
}
