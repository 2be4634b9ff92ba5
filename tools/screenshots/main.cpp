// confab-screenshots: renders the desktop client's windows to PNG files for the docs.
// Fills a running confabd with a small team's conversation (four users on their own
// ChatSessions), signs the real DesktopApp in as one of them, and grabs the main window
// in a light and a dark palette, plus the login dialog. Run by scripts/screenshots.
#include "chatsession.h"
#include "composer.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "messagemodel.h"
#include "roomlistmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab;

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

[[noreturn]] void fail(const QString &what)
{
    err() << "confab-screenshots: " << what << Qt::endl;
    std::exit(1);
}

QJsonObject call(Client::ChatSession &session, const QString &event, const QJsonObject &payload)
{
    QJsonObject answer;
    session.request(event, payload, [&answer](const QJsonObject &reply) { answer = reply; });
    if (!QTest::qWaitFor([&] { return !answer.isEmpty(); }, 10000) || !answer.value(QStringLiteral("ok")).toBool())
        fail(QStringLiteral("%1 failed: %2").arg(event, QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact))));
    return answer;
}

void signIn(Client::ChatSession &session, const QUrl &server, const QString &user, const QString &folder)
{
    QString error;
    if (!session.openLocalStore(QDir(folder).filePath(user + QLatin1String(".sqlite")), &error))
        fail(error);
    session.setServerUrl(server);
    QObject::connect(&session, &Client::ChatSession::loggedIn, &session, &Client::ChatSession::connectToServer);
    QObject::connect(&session, &Client::ChatSession::authenticationFailed, &session, [&session, user] {
        session.login(user, QStringLiteral("screenshot-password")); // already registered by an earlier run
    });
    session.registerAccount(user, QStringLiteral("screenshot-password"));
    if (!QTest::qWaitFor([&] { return session.isOnline(); }, 10000))
        fail(QStringLiteral("%1 could not connect").arg(user));
}

void say(Client::ChatSession &session, const QString &room, const QString &text)
{
    QSignalSpy sent(&session, &Client::ChatSession::messageSent);
    session.sendMessage(room, text);
    if (!sent.wait(10000))
        fail(QStringLiteral("no ack for %1").arg(text));
}

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x23, 0x26, 0x2b), base(0x1b, 0x1d, 0x21), text(0xe4, 0xe6, 0xea);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    palette.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xde));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x6c, 0xa6, 0xff));
    return palette;
}

void save(QWidget *widget, const QString &path)
{
    QTest::qWait(200); // let the last repaint settle
    if (!widget->grab().save(path))
        fail(QStringLiteral("cannot write %1").arg(path));
    err() << "wrote " << path << Qt::endl;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("A running confabd."), QStringLiteral("url"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Folder for the PNG files."), QStringLiteral("dir"));
    parser.addOptions({ server, out });
    parser.process(app);
    const QUrl serverUrl(parser.value(server));
    const QDir outDir(parser.value(out));
    if (!serverUrl.isValid() || parser.value(out).isEmpty())
        parser.showHelp(2);
    QDir().mkpath(outDir.path());
    QTemporaryDir scratch;
    const QPalette lightPalette = QApplication::palette();

    // The login dialog, as on a first start.
    {
        Desktop::LoginDialog login;
        login.setServerUrl(QUrl(QStringLiteral("https://chat.example.org")));
        login.setUser(QStringLiteral("alice"));
        login.show();
        save(&login, outDir.filePath(QStringLiteral("login.png")));
    }

    Client::ChatSession bob, carol, dave;
    signIn(bob, serverUrl, QStringLiteral("bob"), scratch.path());
    signIn(carol, serverUrl, QStringLiteral("carol"), scratch.path());
    signIn(dave, serverUrl, QStringLiteral("dave"), scratch.path());

    QSettings settings(scratch.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    Desktop::DesktopApp::Options options;
    options.dataDir = scratch.filePath(QStringLiteral("alice"));
    options.serverUrl = serverUrl;
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("screenshot-password");
    options.createAccount = true;
    Desktop::DesktopApp desktop(&settings, options);
    desktop.start();
    if (!QTest::qWaitFor([&] { return desktop.mainWindow() && desktop.session()->isOnline(); }, 10000))
        fail(QStringLiteral("alice did not sign in"));
    Desktop::MainWindow *window = desktop.mainWindow();
    Client::ChatSession *alice = desktop.session();

    const QString general = QStringLiteral("general"), design = QStringLiteral("design"), releases = QStringLiteral("releases");
    call(bob, QStringLiteral("room:create"), { { QStringLiteral("room"), general }, { QStringLiteral("topic"), QStringLiteral("Everything else") } });
    call(bob, QStringLiteral("room:create"), { { QStringLiteral("room"), design } });
    call(carol, QStringLiteral("room:create"), { { QStringLiteral("room"), releases } });
    for (Client::ChatSession *member : { alice, &carol, &dave })
        call(*member, QStringLiteral("room:join"), { { QStringLiteral("room"), general } });
    call(*alice, QStringLiteral("room:join"), { { QStringLiteral("room"), design } });
    call(carol, QStringLiteral("room:join"), { { QStringLiteral("room"), design } });
    call(*alice, QStringLiteral("room:join"), { { QStringLiteral("room"), releases } });

    say(bob, general, QStringLiteral("Morning all! The 0.9 build is on the staging cluster."));
    say(bob, general, QStringLiteral("Three nodes behind HAProxy, Redis with two replicas and Sentinel."));
    say(carol, general, QStringLiteral("Nice. I'll run the reconnect-storm benchmark against it after lunch."));
    say(dave, general, QStringLiteral("Heads up: I'm taking node n2 down for a kernel update at 14:00."));
    window->selectRoom(general);
    say(*alice, general, QStringLiteral("Thanks Dave. Clients should move to n1 and n3 on their own; I'll watch the presence panel while it happens."));
    say(*alice, general, QStringLiteral("@bob can you keep the Grafana board open?"));
    say(bob, general, QStringLiteral("On it @alice, dashboard is up."));
    call(bob, QStringLiteral("receipt"), { { QStringLiteral("room"), general }, { QStringLiteral("seq"), 7 }, { QStringLiteral("kind"), QStringLiteral("read") } });
    say(carol, design, QStringLiteral("New tray icon is in resources/, SVG so it stays sharp on HiDPI."));
    say(carol, design, QStringLiteral("Feedback welcome before Friday."));
    say(carol, releases, QStringLiteral("Release notes draft for 0.9 is up."));
    const QString dm = call(bob, QStringLiteral("dm:open"), { { QStringLiteral("user"), QStringLiteral("alice") } })
                           .value(QStringLiteral("room")).toObject().value(QStringLiteral("name")).toString();
    say(bob, dm, QStringLiteral("Got a minute after the standup?"));

    // Presence: carol away, dave gone (offline, last seen just now); carol starts typing.
    carol.setPresence(QStringLiteral("away"));
    dave.disconnectFromServer();
    window->conversation()->composer()->setPlainText(QStringLiteral("Sounds good, I'll"));
    carol.setTyping(general, true);
    window->resize(1200, 760);
    window->show();
    if (!QTest::qWaitFor([&] { return !window->conversation()->typingText().isEmpty()
                                      && window->members() && window->members()->rowCount() == 4; }, 10000))
        fail(QStringLiteral("typing or members did not arrive"));
    const bool daveOffline = QTest::qWaitFor([&] {
        for (int row = 0; row < window->members()->rowCount(); ++row) {
            if (window->members()->index(row).data(Client::MemberModel::StatusRole).toString() == QLatin1String("offline"))
                return true;
        }
        return false;
    }, 10000);
    if (!daveOffline)
        fail(QStringLiteral("dave never showed as offline"));
    save(window, outDir.filePath(QStringLiteral("main-light.png")));

    QApplication::setPalette(darkPalette());
    carol.setTyping(general, true);
    save(window, outDir.filePath(QStringLiteral("main-dark.png")));
    QApplication::setPalette(lightPalette);
    carol.setTyping(general, false);

    // A pasted log and a link in #design: every line shown, the link underlined.
    window->selectRoom(design);
    say(carol, design, QStringLiteral("The storm run from this morning, for the record:\n"
                                      "clients        20000 on 3 nodes behind 3 HAProxy\n"
                                      "killed         n2 (6667 clients) at t=10.0 s\n"
                                      "all back       t=22.4 s (p99 per client 7.8 s)\n"
                                      "acked          575 messages, 0 missing from history\n"
                                      "highest load   normal on every node\n"
                                      "Full write-up: https://wiki.example.org/confab/storm-2026-11"));
    say(*alice, design, QStringLiteral("Lovely. Two lines from me:\nthe banner said \"Reconnecting in 2 s\" the whole time,\nand nothing I typed meanwhile was lost."));
    save(window, outDir.filePath(QStringLiteral("multiline-light.png")));
    QApplication::setPalette(darkPalette());
    save(window, outDir.filePath(QStringLiteral("multiline-dark.png")));
    QApplication::setPalette(lightPalette);

    // Away from #general while three arrive: back there, the "New messages" divider.
    window->selectRoom(general);
    alice->markRead(general, window->conversation()->messages()->lastSeq());
    window->selectRoom(releases);
    QTest::qWait(400); // the read position is written with the next receipts
    say(carol, general, QStringLiteral("Benchmark done: 20k clients back in 22 s, nothing lost."));
    say(carol, general, QStringLiteral("Dave says n2 is back with the new kernel."));
    say(bob, general, QStringLiteral("Great, closing the maintenance ticket."));
    window->selectRoom(general);
    save(window, outDir.filePath(QStringLiteral("unread-divider-light.png")));

    // A long room joined for the first time, scrolled to the top: the next page loading.
    const QString archive = QStringLiteral("archive");
    call(bob, QStringLiteral("room:create"), { { QStringLiteral("room"), archive } });
    for (int i = 1; i <= 150; ++i)
        bob.sendMessage(archive, QStringLiteral("Archived note %1 from the old tracker.").arg(i));
    QSignalSpy sent(&bob, &Client::ChatSession::messageSent);
    if (!QTest::qWaitFor([&] { return sent.count() >= 150; }, 30000))
        fail(QStringLiteral("the archive was not written"));
    call(*alice, QStringLiteral("room:join"), { { QStringLiteral("room"), archive } });
    window->rooms()->addRoom(archive);
    window->selectRoom(archive);
    if (!QTest::qWaitFor([&] { return window->conversation()->messages()->rowCount() > 0; }, 10000))
        fail(QStringLiteral("the archive did not load"));
    QTest::qWait(300);
    window->conversation()->messageList()->verticalScrollBar()->setValue(0);
    if (!window->conversation()->loadingLabel()->isVisible())
        fail(QStringLiteral("no page was loading"));
    if (!window->grab().save(outDir.filePath(QStringLiteral("history-loading-light.png"))))
        fail(QStringLiteral("cannot write history-loading-light.png"));
    window->quit();
    return 0;
}
