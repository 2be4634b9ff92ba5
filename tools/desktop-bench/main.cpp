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
#include <QImage>
#include <QListView>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/prctl.h>
#include <sys/resource.h>

using namespace Confab;
using Client::OutboxAttachment;

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
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
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

// The n-th message the sender posts: plain chat, or with --markdown a mix in which most
// messages have formatting (bold, code, a fenced block, a quote, a list, links, mentions).
QString benchMessage(int n, bool markdown)
{
    if (!markdown || n % 5 == 0)
        return QStringLiteral("message %1: a line of chat of an ordinary length, with a few words in it").arg(n);
    switch (n % 5) {
    case 1: return QStringLiteral("message %1: **bold** and *italic* and ~~gone~~ with `code()` for @alice").arg(n);
    case 2:
        return QStringLiteral(
                   "message %1:\n```\nint main()\n{\n    return run(argc, argv); // a long line of code that "
                   "goes on and on past the width of the window, so that it has to wrap somewhere\n}\n```")
            .arg(n);
    case 3:
        return QStringLiteral("message %1:\n> a quote of what was said\n\n- one\n- two\n1. first\n2. second").arg(n);
    default:
        return QStringLiteral("message %1: see [the docs](https://example.org/docs) or https://example.org/a?b=c")
            .arg(n);
    }
}

// What the sender's messages carry: plain text, Markdown, or (rich) Markdown with
// pictures, replies and reactions as well.
enum class Mix { Plain, Markdown, Rich };

// A photo-sized picture and its thumbnail, made once, attached to every fourth message
// of the rich mix (a real upload each time; the window downloads each thumbnail).
OutboxAttachment benchPicture(const QString &folder)
{
    QImage picture(1280, 960, QImage::Format_RGB32);
    for (int y = 0; y < picture.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(picture.scanLine(y));
        for (int x = 0; x < picture.width(); ++x)
            line[x] = qRgb(x * 255 / picture.width(), y * 255 / picture.height(), (x ^ y) & 0xff);
    }
    OutboxAttachment attachment;
    attachment.path = folder + QStringLiteral("/picture.jpg");
    attachment.thumbnailPath = folder + QStringLiteral("/picture-thumbnail.jpg");
    if (!picture.save(attachment.path, "JPG", 85)
        || !picture.scaled(480, 360, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                .save(attachment.thumbnailPath, "JPG", 80))
        fail(QStringLiteral("cannot write the bench picture"));
    attachment.width = picture.width();
    attachment.height = picture.height();
    return attachment;
}

// --send: the other user. Signs up, creates the room, says "ready" on stdout, then posts
// `count` messages at `rate` per second. The rich mix also attaches a picture to every
// fourth message, replies to the previous message with every sixth, and reacts to every
// third once it is acked (two emoji on every ninth).
int runSender(const QUrl &server, const QString &folder, const QString &room, int count, int rate, Mix mix)
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
    session.request(QStringLiteral("room:create"), { { QStringLiteral("room"), room } },
                    [&](const QJsonObject &) { created = true; });
    if (!QTest::qWaitFor([&] { return created; }, 10000))
        fail(QStringLiteral("the sender could not create the room"));
    out() << "ready" << Qt::endl;
    QFile input;
    input.open(stdin, QIODevice::ReadOnly);
    input.readLine(); // "go", once the window has the room open
    QSignalSpy sent(&session, &Client::ChatSession::messageSent);
    const bool rich = mix == Mix::Rich;
    const OutboxAttachment picture = rich ? benchPicture(folder) : OutboxAttachment {};
    QHash<QString, int> numberOf; // clientId → n
    QByteArray lastId;
    QObject::connect(&session, &Client::ChatSession::messageSent, &session,
                     [&](const QString &clientId, const QJsonObject &ack) {
                         const QByteArray id = ack.value(QStringLiteral("id")).toString().toLatin1();
                         const int n = numberOf.take(clientId);
                         lastId = id;
                         if (!rich || n % 3 != 0)
                             return;
                         session.setReaction(room, id, QStringLiteral("\U0001F44D"), true);
                         if (n % 9 == 0)
                             session.setReaction(room, id, QStringLiteral("\U0001F389"), true);
                     });
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    int posted = 0;
    QObject::connect(&timer, &QTimer::timeout, &session, [&] {
        if (posted >= count)
            return;
        const int n = ++posted;
        const QByteArray replyTo = rich && n % 6 == 5 ? lastId : QByteArray();
        QList<OutboxAttachment> attachments;
        if (rich && n % 4 == 2)
            attachments.append(picture);
        if (const auto entry
            = session.sendMessage(room, benchMessage(n, mix != Mix::Plain), nullptr, replyTo, attachments))
            numberOf.insert(entry->clientId, n);
    });
    timer.start(1000 / rate);
    return QTest::qWaitFor([&] { return sent.count() >= count; }, 3600 * 1000) ? 0 : 1;
}

// Fills the local cache with `count` messages of a room the server does not know, as a
// long-used client would have them.
void seedCache(Client::LocalStore *store, const QString &room, int count)
{
    for (int seq = 1; seq <= count; ++seq) {
        store->storeMessage(
            { { QStringLiteral("room"), room },
              { QStringLiteral("id"), QStringLiteral("seed-%1").arg(seq) },
              { QStringLiteral("seq"), seq },
              { QStringLiteral("from"), seq % 3 ? QStringLiteral("carol") : QStringLiteral("dave") },
              { QStringLiteral("text"),
                QStringLiteral("cached message %1, long enough to wrap once in a narrow window perhaps").arg(seq) },
              { QStringLiteral("ts"), 1700000000000LL + seq * 1000LL },
              { QStringLiteral("clientId"), QStringLiteral("c-%1").arg(seq) } });
    }
    store->rememberRoom(room);
}

struct BenchOptions
{
    int total = 0;    // messages the sender posts
    int bandSize = 0; // a report line every bandSize messages
    int cached = 0;   // messages in the cached room (0: not measured)
    QString rate;     // per second, passed on to the sender
    bool hidden = false;
    Mix mix = Mix::Plain; // --markdown, --rich
};

// Starts this program again as the sender and waits for its "ready".
void startSender(QProcess *sender, const QUrl &server, const QString &folder, const BenchOptions &options)
{
    sender->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList arguments { QStringLiteral("--send"),     server.toString(),
                            QStringLiteral("--folder"),   folder,
                            QStringLiteral("--messages"), QString::number(options.total),
                            QStringLiteral("--rate"),     options.rate };
    if (options.mix == Mix::Markdown)
        arguments.append(QStringLiteral("--markdown"));
    if (options.mix == Mix::Rich)
        arguments.append(QStringLiteral("--rich"));
    sender->start(QCoreApplication::applicationFilePath(), arguments);
    if (!QTest::qWaitFor([&] { return sender->canReadLine() || sender->state() == QProcess::NotRunning; }, 15000)
        || sender->readLine().trimmed() != "ready")
        fail(QStringLiteral("the sender did not start"));
}

// Alice's window, signed in, shown at a fixed size with the room joined and selected
// (or closed to the tray when hidden).
Desktop::MainWindow *openRoom(Desktop::DesktopApp &desktop, const QString &room, bool hidden)
{
    desktop.start();
    if (!QTest::qWaitFor([&] { return desktop.mainWindow() && desktop.session()->isOnline(); }, 10000))
        fail(QStringLiteral("alice did not sign in"));
    Desktop::MainWindow *window = desktop.mainWindow();
    window->resize(1100, 720);
    window->show();
    window->activateWindow();
    bool joined = false;
    desktop.session()->request(QStringLiteral("room:join"), { { QStringLiteral("room"), room } },
                               [&](const QJsonObject &) { joined = true; });
    if (!QTest::qWaitFor([&] { return joined; }, 10000))
        fail(QStringLiteral("alice could not join"));
    window->rooms()->addRoom(room);
    window->selectRoom(room);
    if (hidden)
        window->hide(); // in the tray
    QTest::qWait(200);
    return window;
}

// QTest::qWait and qWaitFor poll every few ms: their cost would count as the window's.
// Plain event loops wait here, woken by what they wait for.
void reportIdle()
{
    QEventLoop loop;
    const double idleFrom = processCpuMs();
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    out() << QStringLiteral("idle with the room open: %1 ms of CPU per second")
                 .arg((processCpuMs() - idleFrom) / 5, 0, 'f', 2)
          << Qt::endl;
}

// Tells the sender to go, and reports the CPU per message in each band of the room's size.
void reportIncoming(Desktop::DesktopApp &desktop, QProcess &sender, const QString &room, const BenchOptions &options)
{
    out() << "messages in room | CPU per message | resident MB | rows in the view" << Qt::endl;
    QEventLoop loop;
    QObject context; // the counting ends with this function
    int received = 0;
    int waitFor = 0;
    QObject::connect(desktop.session(), &Client::ChatSession::messageReceived, &context,
                     [&](const QJsonObject &message) {
                         if (message.value(QStringLiteral("room")).toString() == room && ++received >= waitFor)
                             loop.quit();
                     });
    sender.write("go\n");
    Desktop::MainWindow *window = desktop.mainWindow();
    for (int bandEnd = options.bandSize; bandEnd <= options.total; bandEnd += options.bandSize) {
        const double before = processCpuMs();
        const int from = received;
        waitFor = bandEnd;
        if (received < bandEnd)
            loop.exec();
        const double perMessage = (processCpuMs() - before) / std::max(1, received - from);
        out() << QStringLiteral("%1–%2 | %3 ms | %4 | %5")
                     .arg(bandEnd - options.bandSize)
                     .arg(bandEnd)
                     .arg(perMessage, 0, 'f', 2)
                     .arg(residentMb(), 0, 'f', 1)
                     .arg(window->conversation()->messageList()->model()->rowCount())
              << Qt::endl;
    }
}

// Opening a room whose cache holds a long history: the time to the first paint at its
// newest message.
void reportCachedOpen(Desktop::DesktopApp &desktop, int cachedCount)
{
    Desktop::MainWindow *window = desktop.mainWindow();
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
    out() << QStringLiteral("opening a room with %1 cached messages: %2 ms to the first paint at its newest message "
                            "(%3 rows loaded), %4 MB resident")
                 .arg(cachedCount)
                 .arg(openMs)
                 .arg(list->model()->rowCount())
                 .arg(residentMb(), 0, 'f', 1)
          << Qt::endl;
}

// The window's side: a scratch confabd, the sender, alice's window, the measurements.
int runWindow(const QString &room, const BenchOptions &options)
{
    Testing::ConfabdProcess server;
    if (!server.start())
        fail(server.error());
    QTemporaryDir scratch;
    QProcess sender;
    startSender(&sender, server.url(), scratch.path(), options);

    QSettings settings(scratch.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    Desktop::DesktopApp::Options appOptions;
    appOptions.dataDir = scratch.filePath(QStringLiteral("alice"));
    appOptions.serverUrl = server.url();
    appOptions.user = QStringLiteral("alice");
    appOptions.password = QStringLiteral("alice-password");
    appOptions.createAccount = true;
    appOptions.window.useTray = false;
    Desktop::DesktopApp desktop(&settings, appOptions);
    openRoom(desktop, room, options.hidden);

    out() << "incoming messages at " << options.rate << "/s into the open room (CPU of the window's process, "
          << QGuiApplication::platformName() << ")" << Qt::endl;
    reportIdle();
    reportIncoming(desktop, sender, room, options);
    sender.waitForFinished(10000);
    if (options.cached != 0)
        reportCachedOpen(desktop, options.cached);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption messages(QStringLiteral("messages"), QStringLiteral("Messages to post (default 5000)."),
                                      QStringLiteral("n"), QStringLiteral("5000"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Per second (default 50)."),
                                  QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption band(QStringLiteral("band"), QStringLiteral("Report every n messages (default 1000)."),
                                  QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption cached(QStringLiteral("cached"),
                                    QStringLiteral("Messages in the cached room to open (default 100000)."),
                                    QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption hidden(QStringLiteral("hidden"),
                                    QStringLiteral("The window hidden (closed to the tray) while messages arrive."));
    const QCommandLineOption markdown(QStringLiteral("markdown"),
                                      QStringLiteral("Most messages formatted: code blocks, quotes, lists, links."));
    const QCommandLineOption rich(QStringLiteral("rich"),
                                  QStringLiteral("As --markdown, and pictures on every 4th message, replies on every "
                                                 "6th, reactions to every 3rd."));
    const QCommandLineOption send(QStringLiteral("send"), QStringLiteral("(internal) Be the sender, on this server."),
                                  QStringLiteral("url"));
    const QCommandLineOption folder(QStringLiteral("folder"), QStringLiteral("(internal) The sender's data."),
                                    QStringLiteral("dir"));
    parser.addOptions({ messages, rate, band, cached, hidden, markdown, rich, send, folder });
    parser.process(app);
    const Mix mix = parser.isSet(rich) ? Mix::Rich : parser.isSet(markdown) ? Mix::Markdown : Mix::Plain;
    const BenchOptions options { parser.value(messages).toInt(), parser.value(band).toInt(),
                                 parser.value(cached).toInt(),   parser.value(rate),
                                 parser.isSet(hidden),           mix };
    const QString room = QStringLiteral("busy");
    if (parser.isSet(send))
        return runSender(QUrl(parser.value(send)), parser.value(folder), room, options.total, options.rate.toInt(),
                         options.mix);
    return runWindow(room, options);
}
