// confab-desktop-bench: the real desktop window (offscreen) signed in to a real confabd,
// with a room open, while another user posts into it at a steady rate. Reports the CPU the
// window's thread spends per incoming message in bands of the room's size, the time to open
// a room with a large local cache, and resident memory. The sender is a second process
// (this program with --send), so the figures are the window process's own, all its threads:
// network, cache, model, layout, painting. Run it under Xvfb with QT_QPA_PLATFORM=xcb to
// include what a real X server costs; offscreen otherwise.
#include "chatsession.h"
#include "confabdprocess.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "localstore.h"
#include "mainwindow.h"
#include "roomlistmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QProcess>
#include <QTimer>

#include <sys/prctl.h>
#include <sys/resource.h>

using namespace Confab;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

[[noreturn]] void fail(const QString &what)
{
    out() << "confab-desktop-bench: " << what << Qt::endl;
    std::exit(1);
}

double processCpuMs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

double residentMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    status.open(QIODevice::ReadOnly);
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

// --send: the other user. Signs up, creates the room, says "ready" on stdout, then posts
// `count` messages at `rate` per second.
int runSender(const QUrl &server, const QString &folder, const QString &room, int count, int rate)
{
    prctl(PR_SET_NAME, "bench-sender"); // told apart from the window in profiles
    Client::ChatSession session;
    QString error;
    if (!session.openLocalStore(folder + QStringLiteral("/sender.sqlite"), &error))
        fail(error);
    session.setServerUrl(server);
    QObject::connect(&session, &Client::ChatSession::loggedIn, &session, &Client::ChatSession::connectToServer);
    QSignalSpy synced(&session, &Client::ChatSession::synced);
    session.registerAccount(QStringLiteral("sender"), QStringLiteral("sender-password"));
    if (!synced.wait(10000))
        fail(QStringLiteral("the sender did not sign in"));
    bool created = false;
    session.request(QStringLiteral("room:create"), { { QStringLiteral("room"), room } }, [&](const QJsonObject &) { created = true; });
    if (!QTest::qWaitFor([&] { return created; }, 10000))
        fail(QStringLiteral("the sender could not create the room"));
    out() << "ready" << Qt::endl;
    QFile input;
    input.open(stdin, QIODevice::ReadOnly);
    input.readLine(); // "go", once the window has the room open
    QSignalSpy sent(&session, &Client::ChatSession::messageSent);
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    int posted = 0;
    QObject::connect(&timer, &QTimer::timeout, &session, [&] {
        if (posted < count)
            session.sendMessage(room, QStringLiteral("message %1: a line of chat of an ordinary length, with a few words in it").arg(++posted));
    });
    timer.start(1000 / rate);
    return QTest::qWaitFor([&] { return sent.count() >= count; }, 3600 * 1000) ? 0 : 1;
}

// Fills the local cache with `count` messages of a room the server does not know, as a
// long-used client would have them.
void seedCache(Client::LocalStore *store, const QString &room, int count)
{
    for (int seq = 1; seq <= count; ++seq) {
        store->storeMessage({ { QStringLiteral("room"), room }, { QStringLiteral("id"), QStringLiteral("seed-%1").arg(seq) },
                      { QStringLiteral("seq"), seq }, { QStringLiteral("from"), seq % 3 ? QStringLiteral("carol") : QStringLiteral("dave") },
                      { QStringLiteral("text"), QStringLiteral("cached message %1, long enough to wrap once in a narrow window perhaps").arg(seq) },
                      { QStringLiteral("ts"), 1700000000000LL + seq * 1000LL }, { QStringLiteral("clientId"), QStringLiteral("c-%1").arg(seq) } });
    }
    store->rememberRoom(room);
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption messages(QStringLiteral("messages"), QStringLiteral("Messages to post (default 5000)."), QStringLiteral("n"), QStringLiteral("5000"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Per second (default 50)."), QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption band(QStringLiteral("band"), QStringLiteral("Report every n messages (default 1000)."), QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption cached(QStringLiteral("cached"), QStringLiteral("Messages in the cached room to open (default 100000)."), QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption hidden(QStringLiteral("hidden"), QStringLiteral("The window hidden (closed to the tray) while messages arrive."));
    const QCommandLineOption send(QStringLiteral("send"), QStringLiteral("(internal) Be the sender, on this server."), QStringLiteral("url"));
    const QCommandLineOption folder(QStringLiteral("folder"), QStringLiteral("(internal) The sender's data."), QStringLiteral("dir"));
    parser.addOptions({ messages, rate, band, cached, hidden, send, folder });
    parser.process(app);
    const int total = parser.value(messages).toInt();
    const int bandSize = parser.value(band).toInt();
    const QString room = QStringLiteral("busy");
    if (parser.isSet(send))
        return runSender(QUrl(parser.value(send)), parser.value(folder), room, total, parser.value(rate).toInt());

    Testing::ConfabdProcess server;
    if (!server.start())
        fail(server.error());
    QTemporaryDir scratch;

    QProcess sender;
    sender.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sender.start(QCoreApplication::applicationFilePath(),
                 { QStringLiteral("--send"), server.url().toString(), QStringLiteral("--folder"), scratch.path(),
                   QStringLiteral("--messages"), QString::number(total), QStringLiteral("--rate"), parser.value(rate) });
    if (!QTest::qWaitFor([&] { return sender.canReadLine() || sender.state() == QProcess::NotRunning; }, 15000)
        || sender.readLine().trimmed() != "ready")
        fail(QStringLiteral("the sender did not start"));

    QSettings settings(scratch.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    Desktop::DesktopApp::Options options;
    options.dataDir = scratch.filePath(QStringLiteral("alice"));
    options.serverUrl = server.url();
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("alice-password");
    options.createAccount = true;
    options.window.useTray = false;
    Desktop::DesktopApp desktop(&settings, options);
    desktop.start();
    if (!QTest::qWaitFor([&] { return desktop.mainWindow() && desktop.session()->isOnline(); }, 10000))
        fail(QStringLiteral("alice did not sign in"));
    Desktop::MainWindow *window = desktop.mainWindow();
    window->resize(1100, 720);
    window->show();
    window->activateWindow();
    bool joined = false;
    desktop.session()->request(QStringLiteral("room:join"), { { QStringLiteral("room"), room } }, [&](const QJsonObject &) { joined = true; });
    if (!QTest::qWaitFor([&] { return joined; }, 10000))
        fail(QStringLiteral("alice could not join"));
    window->rooms()->addRoom(room);
    window->selectRoom(room);
    if (parser.isSet(hidden))
        window->hide(); // in the tray
    QTest::qWait(200);

    out() << "incoming messages at " << parser.value(rate) << "/s into the open room (CPU of the window's process, "
          << QGuiApplication::platformName() << ")" << Qt::endl;
    // QTest::qWait and qWaitFor poll every few ms: their cost would count as the window's.
    // Plain event loops wait here, woken by what they wait for.
    QEventLoop loop;
    const double idleFrom = processCpuMs();
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    out() << QStringLiteral("idle with the room open: %1 ms of CPU per second").arg((processCpuMs() - idleFrom) / 5, 0, 'f', 2) << Qt::endl;
    out() << "messages in room | CPU per message | resident MB | rows in the view" << Qt::endl;
    int received = 0;
    int waitFor = 0;
    QObject::connect(desktop.session(), &Client::ChatSession::messageReceived, &app, [&](const QJsonObject &message) {
        if (message.value(QStringLiteral("room")).toString() == room && ++received >= waitFor)
            loop.quit();
    });
    sender.write("go\n");
    for (int bandEnd = bandSize; bandEnd <= total; bandEnd += bandSize) {
        const double before = processCpuMs();
        const int from = received;
        waitFor = bandEnd;
        if (received < bandEnd)
            loop.exec();
        const double perMessage = (processCpuMs() - before) / std::max(1, received - from);
        out() << QStringLiteral("%1–%2 | %3 ms | %4 | %5")
                     .arg(bandEnd - bandSize).arg(bandEnd).arg(perMessage, 0, 'f', 2).arg(residentMb(), 0, 'f', 1)
                     .arg(window->conversation()->messageList()->model()->rowCount())
              << Qt::endl;
    }

    sender.waitForFinished(10000);
    // Opening a room whose cache holds a long history.
    const int cachedCount = parser.value(cached).toInt();
    if (cachedCount == 0)
        return 0;
    const QString archive = QStringLiteral("archive");
    seedCache(desktop.session()->localStore(), archive, cachedCount);
    window->rooms()->addRoom(archive);
    QListView *list = window->conversation()->messageList();
    QElapsedTimer opening;
    opening.start();
    window->selectRoom(archive);
    QCoreApplication::processEvents();
    list->doItemsLayout();
    list->scrollToBottom();
    list->viewport()->repaint();
    const qint64 openMs = opening.elapsed();
    out() << QStringLiteral("opening a room with %1 cached messages: %2 ms to the first paint at its newest message (%3 rows loaded), %4 MB resident")
                 .arg(cachedCount).arg(openMs).arg(list->model()->rowCount()).arg(residentMb(), 0, 'f', 1)
          << Qt::endl;
    return 0;
}
