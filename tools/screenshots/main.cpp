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
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

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
        fail(QStringLiteral("%1 failed: %2")
                 .arg(event, QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact))));
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

void save(QWidget *widget, const QString &path)
{
    QTest::qWait(200); // let the last repaint settle
    if (!widget->grab().save(path))
        fail(QStringLiteral("cannot write %1").arg(path));
    err() << "wrote " << path << Qt::endl;
}

// One rendering: a small team's conversation on the server, alice's real window, and
// each picture taken at the moment it shows something the docs point at.
class Screenshots
{
public:
    Screenshots(const QUrl &server, const QDir &outDir)
        : m_server(server)
        , m_outDir(outDir)
    {
    }
    void run();

private:
    void shootLogin();
    void startDesktop();
    void createRooms();
    void postConversation();
    void showPresenceAndTyping();
    void shootMain();
    void shootMultiline();
    void shootUnreadDivider();
    void shootHistoryLoading();
    QString file(const char *name) const { return m_outDir.filePath(QLatin1String(name)); }

    const QUrl m_server;
    const QDir m_outDir;
    QTemporaryDir m_scratch;
    const QPalette m_lightPalette = QApplication::palette();
    const QString m_general = QStringLiteral("general");
    const QString m_design = QStringLiteral("design");
    const QString m_releases = QStringLiteral("releases");
    Client::ChatSession m_bob, m_carol, m_dave;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_desktop;
    Desktop::MainWindow *m_window = nullptr;
    Client::ChatSession *m_alice = nullptr;
};

void Screenshots::run()
{
    shootLogin();
    signIn(m_bob, m_server, QStringLiteral("bob"), m_scratch.path());
    signIn(m_carol, m_server, QStringLiteral("carol"), m_scratch.path());
    signIn(m_dave, m_server, QStringLiteral("dave"), m_scratch.path());
    startDesktop();
    createRooms();
    postConversation();
    showPresenceAndTyping();
    shootMain();
    shootMultiline();
    shootUnreadDivider();
    shootHistoryLoading();
    m_window->quit();
}

// The login dialog, as on a first start.
void Screenshots::shootLogin()
{
    Desktop::LoginDialog login;
    login.setServerUrl(QUrl(QStringLiteral("https://chat.example.org")));
    login.setUser(QStringLiteral("alice"));
    login.show();
    save(&login, file("login.png"));
}

// The real DesktopApp, signed in as alice.
void Screenshots::startDesktop()
{
    m_settings = std::make_unique<QSettings>(m_scratch.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    Desktop::DesktopApp::Options options;
    options.dataDir = m_scratch.filePath(QStringLiteral("alice"));
    options.serverUrl = m_server;
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("screenshot-password");
    options.createAccount = true;
    m_desktop = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_desktop->start();
    if (!QTest::qWaitFor([&] { return m_desktop->mainWindow() && m_desktop->session()->isOnline(); }, 10000))
        fail(QStringLiteral("alice did not sign in"));
    m_window = m_desktop->mainWindow();
    m_alice = m_desktop->session();
}

void Screenshots::createRooms()
{
    call(m_bob, QStringLiteral("room:create"),
         { { QStringLiteral("room"), m_general }, { QStringLiteral("topic"), QStringLiteral("Everything else") } });
    call(m_bob, QStringLiteral("room:create"), { { QStringLiteral("room"), m_design } });
    call(m_carol, QStringLiteral("room:create"), { { QStringLiteral("room"), m_releases } });
    for (Client::ChatSession *member : { m_alice, &m_carol, &m_dave })
        call(*member, QStringLiteral("room:join"), { { QStringLiteral("room"), m_general } });
    call(*m_alice, QStringLiteral("room:join"), { { QStringLiteral("room"), m_design } });
    call(m_carol, QStringLiteral("room:join"), { { QStringLiteral("room"), m_design } });
    call(*m_alice, QStringLiteral("room:join"), { { QStringLiteral("room"), m_releases } });
}

// #general with alice in it (her own messages and a mention), a read receipt, unread
// messages in the other rooms, and a direct message.
void Screenshots::postConversation()
{
    say(m_bob, m_general, QStringLiteral("Morning all! The 0.9 build is on the staging cluster."));
    say(m_bob, m_general, QStringLiteral("Three nodes behind HAProxy, Redis with two replicas and Sentinel."));
    say(m_carol, m_general, QStringLiteral("Nice. I'll run the reconnect-storm benchmark against it after lunch."));
    say(m_dave, m_general, QStringLiteral("Heads up: I'm taking node n2 down for a kernel update at 14:00."));
    m_window->selectRoom(m_general);
    say(*m_alice, m_general,
        QStringLiteral("Thanks Dave. Clients should move to n1 and n3 on their own; I'll watch the presence panel "
                       "while it happens."));
    say(*m_alice, m_general, QStringLiteral("@bob can you keep the Grafana board open?"));
    say(m_bob, m_general, QStringLiteral("On it @alice, dashboard is up."));
    call(m_bob, QStringLiteral("receipt"),
         { { QStringLiteral("room"), m_general },
           { QStringLiteral("seq"), 7 },
           { QStringLiteral("kind"), QStringLiteral("read") } });
    say(m_carol, m_design, QStringLiteral("New tray icon is in resources/, SVG so it stays sharp on HiDPI."));
    say(m_carol, m_design, QStringLiteral("Feedback welcome before Friday."));
    say(m_carol, m_releases, QStringLiteral("Release notes draft for 0.9 is up."));
    const QString dm = call(m_bob, QStringLiteral("dm:open"), { { QStringLiteral("user"), QStringLiteral("alice") } })
                           .value(QStringLiteral("room"))
                           .toObject()
                           .value(QStringLiteral("name"))
                           .toString();
    say(m_bob, dm, QStringLiteral("Got a minute after the standup?"));
}

// Presence: carol away, dave gone (offline, last seen just now); carol starts typing.
void Screenshots::showPresenceAndTyping()
{
    m_carol.setPresence(QStringLiteral("away"));
    m_dave.disconnectFromServer();
    m_window->conversation()->composer()->setPlainText(QStringLiteral("Sounds good, I'll"));
    m_carol.setTyping(m_general, true);
    m_window->resize(1200, 760);
    m_window->show();
    if (!QTest::qWaitFor(
            [&] {
                return !m_window->conversation()->typingText().isEmpty() && m_window->members()
                    && m_window->members()->rowCount() == 4;
            },
            10000))
        fail(QStringLiteral("typing or members did not arrive"));
    const bool daveOffline = QTest::qWaitFor(
        [&] {
            for (int row = 0; row < m_window->members()->rowCount(); ++row) {
                if (m_window->members()->index(row).data(Client::MemberModel::StatusRole).toString()
                    == QLatin1String("offline"))
                    return true;
            }
            return false;
        },
        10000);
    if (!daveOffline)
        fail(QStringLiteral("dave never showed as offline"));
}

// The main window in both palettes; carol types again so the dark one shows it too.
void Screenshots::shootMain()
{
    save(m_window, file("main-light.png"));
    QApplication::setPalette(Desktop::darkPalette());
    m_carol.setTyping(m_general, true);
    save(m_window, file("main-dark.png"));
    QApplication::setPalette(m_lightPalette);
    m_carol.setTyping(m_general, false);
}

// A pasted log and a link in #design: every line shown, the link underlined.
void Screenshots::shootMultiline()
{
    m_window->selectRoom(m_design);
    say(m_carol, m_design,
        QStringLiteral("The storm run from this morning, for the record:\n"
                       "clients        20000 on 3 nodes behind 3 HAProxy\n"
                       "killed         n2 (6667 clients) at t=10.0 s\n"
                       "all back       t=22.4 s (p99 per client 7.8 s)\n"
                       "acked          575 messages, 0 missing from history\n"
                       "highest load   normal on every node\n"
                       "Full write-up: https://wiki.example.org/confab/storm-2026-11"));
    say(*m_alice, m_design,
        QStringLiteral("Lovely. Two lines from me:\nthe banner said \"Reconnecting in 2 s\" the whole time,\nand "
                       "nothing I typed meanwhile was lost."));
    save(m_window, file("multiline-light.png"));
    QApplication::setPalette(Desktop::darkPalette());
    save(m_window, file("multiline-dark.png"));
    QApplication::setPalette(m_lightPalette);
}

// Away from #general while three arrive: back there, the "New messages" divider.
void Screenshots::shootUnreadDivider()
{
    m_window->selectRoom(m_general);
    m_alice->markRead(m_general, m_window->conversation()->messages()->lastSeq());
    m_window->selectRoom(m_releases);
    QTest::qWait(400); // the read position is written with the next receipts
    say(m_carol, m_general, QStringLiteral("Benchmark done: 20k clients back in 22 s, nothing lost."));
    say(m_carol, m_general, QStringLiteral("Dave says n2 is back with the new kernel."));
    say(m_bob, m_general, QStringLiteral("Great, closing the maintenance ticket."));
    m_window->selectRoom(m_general);
    save(m_window, file("unread-divider-light.png"));
}

// A long room joined for the first time, scrolled to the top: the next page loading.
// Grabbed at once (no settling wait), before that page arrives.
void Screenshots::shootHistoryLoading()
{
    const QString archive = QStringLiteral("archive");
    call(m_bob, QStringLiteral("room:create"), { { QStringLiteral("room"), archive } });
    for (int i = 1; i <= 150; ++i)
        m_bob.sendMessage(archive, QStringLiteral("Archived note %1 from the old tracker.").arg(i));
    QSignalSpy sent(&m_bob, &Client::ChatSession::messageSent);
    if (!QTest::qWaitFor([&] { return sent.count() >= 150; }, 30000))
        fail(QStringLiteral("the archive was not written"));
    call(*m_alice, QStringLiteral("room:join"), { { QStringLiteral("room"), archive } });
    m_window->rooms()->addRoom(archive);
    m_window->selectRoom(archive);
    if (!QTest::qWaitFor([&] { return m_window->conversation()->messages()->rowCount() > 0; }, 10000))
        fail(QStringLiteral("the archive did not load"));
    QTest::qWait(300);
    // The older page is asked for on a later pass and may come back at once: take the
    // picture the moment the model says it is loading (the label is shown by then).
    bool saved = false;
    auto *messages = m_window->conversation()->messages();
    const auto connection = QObject::connect(messages, &Client::MessageModel::loadingChanged, m_window, [&] {
        if (saved || !messages->isLoadingOlder() || !m_window->conversation()->loadingLabel()->isVisible())
            return;
        saved = true;
        if (!m_window->grab().save(file("history-loading-light.png")))
            fail(QStringLiteral("cannot write history-loading-light.png"));
    });
    m_window->conversation()->messageList()->verticalScrollBar()->setValue(0);
    const bool loaded = QTest::qWaitFor([&] { return saved; }, 10000);
    QObject::disconnect(connection);
    if (!loaded)
        fail(QStringLiteral("no page was loading"));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("A running confabd."),
                                    QStringLiteral("url"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Folder for the PNG files."),
                                 QStringLiteral("dir"));
    parser.addOptions({ server, out });
    parser.process(app);
    const QUrl serverUrl(parser.value(server));
    const QDir outDir(parser.value(out));
    if (!serverUrl.isValid() || parser.value(out).isEmpty())
        parser.showHelp(2);
    QDir().mkpath(outDir.path());
    Screenshots(serverUrl, outDir).run();
    return 0;
}
