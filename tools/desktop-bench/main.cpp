// confab-desktop-bench: the real desktop window (offscreen) signed in to a real confabd,
// with a room open, while another user posts into it at a steady rate. Reports the CPU the
// window's thread spends per incoming message in bands of the room's size, the time to open
// a room with a large local cache, and resident memory. The sender runs on its own thread,
// so the figures are the window's own: network, cache, model, layout and painting.
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
#include <QFile>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <ctime>

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

double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
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

// The other user, on a thread of its own: signs up, creates the room, then posts `count`
// messages at `rate` per second (each after the previous one's ack).
class Sender : public QObject
{
    Q_OBJECT
public:
    Sender(const QUrl &server, const QString &folder)
        : m_server(server)
        , m_folder(folder)
    {
    }

public Q_SLOTS:
    void start(const QString &room)
    {
        m_session = new Client::ChatSession(this);
        QString error;
        if (!m_session->openLocalStore(m_folder + QStringLiteral("/sender.sqlite"), &error))
            fail(error);
        m_session->setServerUrl(m_server);
        connect(m_session, &Client::ChatSession::loggedIn, m_session, &Client::ChatSession::connectToServer);
        connect(m_session, &Client::ChatSession::synced, this, [this, room] {
            m_session->request(QStringLiteral("room:create"), { { QStringLiteral("room"), room } },
                               [this](const QJsonObject &) { Q_EMIT ready(); });
        }, Qt::SingleShotConnection);
        m_session->registerAccount(QStringLiteral("sender"), QStringLiteral("sender-password"));
    }

    void post(const QString &room, int count, int rate)
    {
        m_left = count;
        auto *timer = new QTimer(this);
        timer->setTimerType(Qt::PreciseTimer);
        timer->setInterval(1000 / rate);
        connect(timer, &QTimer::timeout, this, [this, room, timer] {
            if (m_left-- <= 0) {
                timer->deleteLater();
                return;
            }
            m_session->sendMessage(room, QStringLiteral("message %1: a line of chat of an ordinary length, with a few words in it").arg(++m_posted));
        });
        timer->start();
    }

Q_SIGNALS:
    void ready();

private:
    QUrl m_server;
    QString m_folder;
    Client::ChatSession *m_session = nullptr;
    int m_left = 0;
    int m_posted = 0;
};

// Fills the local cache with `count` messages of a room the server does not know, as a
// long-used client would have them.
void seedCache(Client::LocalStore *store, const QString &room, int count)
{
    QList<QJsonObject> page;
    for (int seq = 1; seq <= count; ++seq) {
        page.append({ { QStringLiteral("room"), room }, { QStringLiteral("id"), QStringLiteral("seed-%1").arg(seq) },
                      { QStringLiteral("seq"), seq }, { QStringLiteral("from"), seq % 3 ? QStringLiteral("carol") : QStringLiteral("dave") },
                      { QStringLiteral("text"), QStringLiteral("cached message %1, long enough to wrap once in a narrow window perhaps").arg(seq) },
                      { QStringLiteral("ts"), 1700000000000LL + seq * 1000LL }, { QStringLiteral("clientId"), QStringLiteral("c-%1").arg(seq) } });
        if (page.size() == 5000) {
            store->storeMessages(page);
            page.clear();
        }
    }
    store->storeMessages(page);
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
    parser.addOptions({ messages, rate, band, cached });
    parser.process(app);
    const int total = parser.value(messages).toInt();
    const int bandSize = parser.value(band).toInt();

    Testing::ConfabdProcess server;
    if (!server.start())
        fail(server.error());
    QTemporaryDir scratch;
    const QString room = QStringLiteral("busy");

    QThread senderThread;
    auto *sender = new Sender(server.url(), scratch.path());
    sender->moveToThread(&senderThread);
    QObject::connect(&senderThread, &QThread::finished, sender, &QObject::deleteLater);
    senderThread.start();
    QSignalSpy senderReady(sender, &Sender::ready);
    QMetaObject::invokeMethod(sender, "start", Q_ARG(QString, room));
    if (!senderReady.wait(10000))
        fail(QStringLiteral("the sender did not sign in"));

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
    QTest::qWait(200);

    out() << "incoming messages at " << parser.value(rate) << "/s into the open room (CPU of the window's thread)" << Qt::endl;
    out() << "messages in room | CPU per message | resident MB | rows in the view" << Qt::endl;
    int received = 0;
    QObject::connect(desktop.session(), &Client::ChatSession::messageReceived, &app, [&](const QJsonObject &message) {
        if (message.value(QStringLiteral("room")).toString() == room)
            ++received;
    });
    QMetaObject::invokeMethod(sender, "post", Q_ARG(QString, room), Q_ARG(int, total), Q_ARG(int, parser.value(rate).toInt()));
    for (int bandEnd = bandSize; bandEnd <= total; bandEnd += bandSize) {
        const double before = threadCpuMs();
        const int from = received;
        if (!QTest::qWaitFor([&] { return received >= bandEnd; }, 3600 * 1000))
            fail(QStringLiteral("stalled at %1 messages").arg(received));
        const double perMessage = (threadCpuMs() - before) / std::max(1, received - from);
        out() << QStringLiteral("%1–%2 | %3 ms | %4 | %5")
                     .arg(bandEnd - bandSize).arg(bandEnd).arg(perMessage, 0, 'f', 2).arg(residentMb(), 0, 'f', 1)
                     .arg(window->conversation()->messageList()->model()->rowCount())
              << Qt::endl;
    }

    // Opening a room whose cache holds a long history.
    const int cachedCount = parser.value(cached).toInt();
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
    senderThread.quit();
    senderThread.wait();
    return 0;
}

#include "main.moc"
