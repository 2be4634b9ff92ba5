// The main window's everyday comfort, driven offscreen against a real confabd: the
// composer growing and its length limit, the login dialog's checks, members from the
// cache and unknown presence while disconnected, the status box following auto-away,
// the room topic, leaving a room, the Join dialog's width, no stray horizontal scroll
// bar, and the Help menu. Runs inside tests/support/with-keyring.sh like tst_desktop.
#include "chatsession.h"
#include "composer.h"
#include "confabdprocess.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "idlewatcher.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "memberdelegate.h"
#include "membermodel.h"
#include "roomlistmodel.h"

#include "chat/validation.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Confab;
using Client::ChatSession;
using Client::MemberModel;

class tst_Window : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void composerGrowsUpToSixLinesThenScrolls();
    void composerCountsNearTheLimitAndRefusesPastIt();
    void loginDialogChecksPasswordsAndClearsStaleErrors();
    void opensTheWindow();
    void joinDialogIsWideEnoughForItsTitle();
    void showsTheRoomTopic();
    void noHorizontalScrollBarUnderTheConversation();
    void statusBoxFollowsAutoAway();
    void membersFromTheCacheAndUnknownPresenceWhileDisconnected();
    void leavesARoomAfterConfirmation();
    void helpMenuListsShortcutsAndAbout();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    QString statusOf(const QString &user) const;
    bool startBob();
    QJsonObject bobRequest(const QString &event, const QJsonObject &payload);

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    std::unique_ptr<ChatSession> m_bob;
    const QString m_room = QStringLiteral("window");
    const QString m_topic = QStringLiteral("Plans for the week");
};

void tst_Window::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0-test"));
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
}

void tst_Window::cleanupTestCase()
{
    m_app.reset();
    m_bob.reset();
}

QString tst_Window::statusOf(const QString &user) const
{
    MemberModel *members = window()->members();
    for (int row = 0; members && row < members->rowCount(); ++row) {
        if (members->index(row).data(MemberModel::UserRole).toString() == user)
            return members->index(row).data(MemberModel::StatusRole).toString();
    }
    return {};
}

bool tst_Window::startBob()
{
    m_bob = std::make_unique<ChatSession>();
    QString error;
    if (!m_bob->openLocalStore(m_dir.filePath(QStringLiteral("bob.sqlite")), &error))
        return false;
    m_bob->setServerUrl(m_server.url());
    QSignalSpy synced(m_bob.get(), &ChatSession::synced);
    connect(m_bob.get(), &ChatSession::loggedIn, m_bob.get(), &ChatSession::connectToServer);
    m_bob->registerAccount(QStringLiteral("bob"), QStringLiteral("bob-password"));
    return synced.wait(10000);
}

QJsonObject tst_Window::bobRequest(const QString &event, const QJsonObject &payload)
{
    QJsonObject answer;
    bool answered = false;
    m_bob->request(event, payload, [&](const QJsonObject &a) {
        answer = a;
        answered = true;
    });
    if (!QTest::qWaitFor([&] { return answered; }, 10000))
        return {};
    return answer; // empty (and failing the caller's check) without an answer
}

void tst_Window::composerGrowsUpToSixLinesThenScrolls()
{
    Desktop::Composer composer;
    composer.resize(400, composer.sizeHint().height());
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    int previous = composer.height();
    QTest::keyClicks(&composer, QStringLiteral("line 1"));
    // Shift+Enter inserts a line separator within the block: the box must grow anyway.
    for (int line = 2; line <= Desktop::Composer::MaxVisibleLines; ++line) {
        QTest::keyClick(&composer, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(&composer, QStringLiteral("line %1").arg(line));
        QTRY_VERIFY2(composer.height() > previous,
                     qPrintable(QStringLiteral("line %1: height %2").arg(line).arg(composer.height())));
        previous = composer.height();
        QVERIFY2(!composer.verticalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("scroll bar at line %1").arg(line)));
        QCOMPARE(composer.verticalScrollBar()->value(), 0); // the first line is still in view
    }
    // Past six lines it stops growing and scrolls.
    for (int line = 0; line < 3; ++line) {
        QTest::keyClick(&composer, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(&composer, QStringLiteral("more"));
    }
    QCOMPARE(composer.height(), previous);
    QTRY_VERIFY(composer.verticalScrollBar()->isVisible());

    // A long line wraps: that grows the box too.
    composer.clear();
    const int oneLine = composer.height();
    composer.setPlainText(QString(200, QLatin1Char('w')).replace(QStringLiteral("wwwww"), QStringLiteral("wwww ")));
    QTRY_VERIFY(composer.height() > oneLine);
    QVERIFY(!composer.verticalScrollBar()->isVisible());

    // A long paragraph near the limit: the counter takes room on the right, the text wraps
    // again, and the box must still show six lines (it fell back to one).
    composer.setPlainText(QStringLiteral("word ").repeated(780));
    QVERIFY(composer.counter()->isVisible());
    QTRY_COMPARE(composer.height(), previous);
    QVERIFY(composer.verticalScrollBar()->isVisible());
    const int barLeft = composer.verticalScrollBar()->mapTo(&composer, QPoint(0, 0)).x();
    QVERIFY2(composer.counter()->geometry().right() < barLeft, "the counter is not under the scroll bar");

    // A long word (a URL) wraps too, rather than scrolling sideways under the conversation.
    composer.setPlainText(QStringLiteral("https://example.org/") + QString(300, QLatin1Char('x')));
    QTRY_VERIFY(composer.height() > oneLine);
    QVERIFY(!composer.horizontalScrollBar()->isVisible());
}

void tst_Window::composerCountsNearTheLimitAndRefusesPastIt()
{
    Desktop::Composer composer;
    composer.resize(400, 60);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    QSignalSpy submitted(&composer, &Desktop::Composer::submitted);
    QSignalSpy refused(&composer, &Desktop::Composer::submitRefused);
    auto *counter = composer.findChild<QLabel *>(QStringLiteral("composerCounter"));
    QVERIFY(counter);

    composer.setPlainText(QString(100, QLatin1Char('a')));
    QVERIFY(!counter->isVisible()); // far from the limit: nothing to say
    composer.setPlainText(QString(3612, QLatin1Char('a')));
    QVERIFY(counter->isVisible());
    QCOMPARE(counter->text(), QStringLiteral("3,612 / 4,000"));

    // Past the limit (counted in characters, as the server does: an emoji is one).
    const QString emoji = QString::fromUcs4(U"\U0001F600");
    const QString tooLong = QString(Chat::MaxTextLength, QLatin1Char('a')) + emoji;
    composer.setPlainText(tooLong);
    QCOMPARE(composer.messageLength(), Chat::MaxTextLength + 1);
    QCOMPARE(counter->text(), QStringLiteral("4,001 / 4,000"));
    QVERIFY(counter->styleSheet().contains(QLatin1String("#d64545")));
    QVERIFY(counter->toolTip().contains(QLatin1String("4,000")));
    QTest::keyClick(&composer, Qt::Key_Return);
    QCOMPARE(submitted.count(), 0);
    QCOMPARE(refused.count(), 1);
    QVERIFY(refused.at(0).at(0).toString().contains(QLatin1String("at most 4,000 characters")));
    QCOMPARE(composer.toPlainText(), tooLong); // never cleared

    // Exactly at the limit is fine.
    composer.setPlainText(QString(Chat::MaxTextLength - 1, QLatin1Char('a')) + emoji);
    QVERIFY(counter->styleSheet().isEmpty());
    QTest::keyClick(&composer, Qt::Key_Return);
    QCOMPARE(submitted.count(), 1);
    QVERIFY(composer.toPlainText().isEmpty());
    QVERIFY(!counter->isVisible());
}

void tst_Window::loginDialogChecksPasswordsAndClearsStaleErrors()
{
    Desktop::LoginDialog login;
    login.show();
    QVERIFY(QTest::qWaitForWindowExposed(&login));
    QPushButton *ok = login.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *password = login.findChild<QLineEdit *>(QStringLiteral("passwordField"));
    auto *confirm = login.findChild<QLineEdit *>(QStringLiteral("confirmPasswordField"));
    auto *hint = login.findChild<QLabel *>(QStringLiteral("passwordHint"));
    auto *error = login.findChild<QLabel *>(QStringLiteral("loginError"));
    auto *create = login.findChild<QCheckBox *>(QStringLiteral("createAccountBox"));
    QVERIFY(confirm && hint);
    login.setServerUrl(m_server.url());
    login.setUser(QStringLiteral("carol"));

    // Signing in: no confirmation; a short password is the server's to judge.
    QVERIFY(!confirm->isVisible());
    password->setText(QStringLiteral("short"));
    QVERIFY(ok->isEnabled());
    login.showError(QStringLiteral("Wrong username or password."));
    QVERIFY(error->isVisible());

    // "Create account": the stale error goes, the confirmation shows.
    create->setChecked(true);
    QVERIFY(!error->isVisible());
    QVERIFY(confirm->isVisible());
    QVERIFY(!ok->isEnabled());
    QVERIFY(hint->isVisible());
    QCOMPARE(hint->text(), QStringLiteral("Use at least 8 characters for the password."));
    password->setText(QStringLiteral("long enough"));
    QVERIFY(!ok->isEnabled()); // not confirmed yet
    confirm->setText(QStringLiteral("long enuogh"));
    QCOMPARE(hint->text(), QStringLiteral("The passwords do not match."));
    QVERIFY(!ok->isEnabled());
    confirm->setText(QStringLiteral("long enough"));
    QVERIFY(!hint->isVisible());
    QVERIFY(ok->isEnabled());

    // Bytes, as the server counts them: 342 × "€" is 1,026 bytes of UTF-8.
    const QString euros(342, QChar(0x20AC));
    password->setText(euros);
    confirm->setText(euros);
    QCOMPARE(hint->text(), QStringLiteral("The password is too long: at most 1024 bytes."));
    QVERIFY(!ok->isEnabled());
    create->setChecked(false);
    QVERIFY(!confirm->isVisible());
    QVERIFY(!ok->isEnabled()); // too long for signing in as well
}

void tst_Window::opensTheWindow()
{
    QVERIFY(startBob());
    QVERIFY(bobRequest(QStringLiteral("room:create"),
                       { { QStringLiteral("room"), m_room }, { QStringLiteral("topic"), m_topic } })
                .value(QStringLiteral("ok"))
                .toBool());
    Desktop::DesktopApp::Options options;
    options.dataDir = m_dir.filePath(QStringLiteral("alice"));
    options.serverUrl = m_server.url();
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("alice-password");
    options.createAccount = true;
    m_app = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_app->mainWindow(), 10000);
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
}

void tst_Window::joinDialogIsWideEnoughForItsTitle()
{
    window()->findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QInputDialog *>(QStringLiteral("joinRoomDialog"))));
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    // The window manager adds the application name to the title and needs room for its buttons.
    const int title = dialog->fontMetrics().horizontalAdvance(QStringLiteral("Join Room — Confab"));
    QVERIFY2(dialog->width() >= title + 150,
             qPrintable(QStringLiteral("width %1 for a title of %2").arg(dialog->width()).arg(title)));
    dialog->setTextValue(m_room);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), m_room, 10000);
}

void tst_Window::showsTheRoomTopic()
{
    QLabel *topic = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((topic = window()->conversation()->findChild<QLabel *>(QStringLiteral("roomTopic")))
                                 && topic->isVisible(),
                             10000);
    QCOMPARE(topic->text(), m_topic);
}

void tst_Window::noHorizontalScrollBarUnderTheConversation()
{
    for (int i = 0; i < 40; ++i)
        m_bob->sendMessage(m_room,
                           QStringLiteral("message %1 with some words to wrap at narrow widths, ").arg(i).repeated(3));
    QTRY_COMPARE_WITH_TIMEOUT(window()->conversation()->messages()->rowCount(), 40, 15000);
    QListView *list = window()->conversation()->messageList();
    for (const int width : { 1100, 760, 900, 640, 1000, 700 }) {
        window()->resize(width, 600);
        QTRY_VERIFY(list->verticalScrollBar()->isVisible());
        QTest::qWait(0); // let the list lay out at the new width
        QVERIFY2(!list->horizontalScrollBar()->isVisible(), qPrintable(QStringLiteral("at width %1").arg(width)));
    }
}

void tst_Window::statusBoxFollowsAutoAway()
{
    auto *status = window()->findChild<QComboBox *>(QStringLiteral("statusBox"));
    QCOMPARE(status->currentData().toString(), QStringLiteral("online"));
    // The window's own watcher waits five minutes; a quicker one on the same session.
    Desktop::IdleWatcher idle(m_app->session(), 300);
    QTRY_COMPARE_WITH_TIMEOUT(status->currentData().toString(), QStringLiteral("away"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("alice")), QStringLiteral("away"), 10000); // what the others see
    QTest::keyClick(window()->conversation()->composer(), Qt::Key_Shift);
    QCOMPARE(status->currentData().toString(), QStringLiteral("online"));
}

void tst_Window::membersFromTheCacheAndUnknownPresenceWhileDisconnected()
{
    QTRY_COMPARE_WITH_TIMEOUT(window()->members()->rowCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("bob")), QStringLiteral("online"), 10000);
    auto *header = window()->findChild<QWidget *>(QStringLiteral("memberPanel"))->findChild<QLabel *>();
    QCOMPARE(header->text(), QStringLiteral("Members — 2"));

    // We are cut off: nobody's presence is known, not even bob's "online".
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->session()->isOnline(), 15000);
    QCOMPARE(statusOf(QStringLiteral("bob")), MemberModel::UnknownStatus);
    QListView *list = window()->findChild<QListView *>(QStringLiteral("memberList"));
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        const QModelIndex index = list->model()->index(row, 0);
        // Only our own status is known: the one chosen in the status box.
        const bool own = index.data(MemberModel::UserRole).toString() == m_app->session()->user();
        // The room's owner (bob made it) says so first.
        const QString role = index.data(MemberModel::MemberRoleRole).toString() == QLatin1String("owner")
            ? QStringLiteral("Owner · ")
            : QString();
        QCOMPARE(Desktop::MemberDelegate::detailText(index),
                 role + (own ? QStringLiteral("Online") : QStringLiteral("offline?")));
    }

    // Opened while offline, a room shows its members from the cache at once.
    const QString other = QStringLiteral("elsewhere");
    window()->rooms()->addRoom(other);
    window()->selectRoom(other);
    QCOMPARE(window()->members()->rowCount(), 0);
    window()->selectRoom(m_room);
    QCOMPARE(window()->members()->rowCount(), 2);
    QCOMPARE(header->text(), QStringLiteral("Members — 2"));
    QCOMPARE(statusOf(QStringLiteral("bob")), MemberModel::UnknownStatus);

    // Back: presence is asked again.
    QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(QStringLiteral("bob")) == QLatin1String("online")
                                 || statusOf(QStringLiteral("bob")) == QLatin1String("offline"),
                             10000);
    window()->rooms()->removeRoom(other);
}

void tst_Window::leavesARoomAfterConfirmation()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->isOnline(), 20000);
    QVERIFY(bobRequest(QStringLiteral("room:create"), { { QStringLiteral("room"), QStringLiteral("leaveme") } })
                .value(QStringLiteral("ok"))
                .toBool());
    window()->findChild<QAction *>(QStringLiteral("joinRoomAction"))->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QInputDialog *>(QStringLiteral("joinRoomDialog"))));
    dialog->setTextValue(QStringLiteral("leaveme"));
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), QStringLiteral("leaveme"), 10000);

    QAction *leave = window()->findChild<QAction *>(QStringLiteral("leaveRoomAction"));
    QVERIFY(leave->isEnabled());
    leave->trigger();
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY((confirm = window()->findChild<QMessageBox *>(QStringLiteral("leaveRoomConfirmation"))));
    confirm->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(window()->rooms()->rowOf(QStringLiteral("leaveme")), -1, 10000);
    QVERIFY(!m_app->session()->localStore()->rooms().contains(QStringLiteral("leaveme")));
    QCOMPARE(window()->currentRoom(), m_room); // the next room is open
    QVERIFY(!bobRequest(QStringLiteral("room:join"), { { QStringLiteral("room"), QStringLiteral("leaveme") } })
                 .value(QStringLiteral("room"))
                 .toObject()
                 .value(QStringLiteral("members"))
                 .toArray()
                 .contains(QJsonValue(QStringLiteral("alice"))));

    // Direct-message rooms cannot be left: not offered.
    window()->openDirectMessage(QStringLiteral("bob"));
    QTRY_VERIFY_WITH_TIMEOUT(window()->currentRoom().startsWith(QLatin1String("dm:")), 10000);
    QVERIFY(!leave->isEnabled());
    window()->selectRoom(m_room);
    QVERIFY(leave->isEnabled());
}

void tst_Window::helpMenuListsShortcutsAndAbout()
{
    window()->findChild<QAction *>(QStringLiteral("shortcutsAction"))->trigger();
    QDialog *shortcuts = nullptr;
    QTRY_VERIFY((shortcuts = window()->findChild<QDialog *>(QStringLiteral("shortcutsDialog"))));
    auto *list = shortcuts->findChild<QTreeWidget *>(QStringLiteral("shortcutList"));
    QStringList keys;
    for (int row = 0; row < list->topLevelItemCount(); ++row)
        keys.append(list->topLevelItem(row)->text(1));
    for (const QString &expected :
         { QStringLiteral("Enter"), QStringLiteral("Shift+Enter"), QStringLiteral("Ctrl+K"), QStringLiteral("Alt+Up"),
           QStringLiteral("Alt+Down"), QStringLiteral("Ctrl+N"), QStringLiteral("Ctrl+J"), QStringLiteral("Ctrl+M"),
           QStringLiteral("Esc"), QStringLiteral("Ctrl+Q") })
        QVERIFY2(keys.contains(expected),
                 qPrintable(expected + QStringLiteral(" missing from ") + keys.join(QLatin1Char(','))));
    shortcuts->close();

    window()->findChild<QAction *>(QStringLiteral("aboutAction"))->trigger();
    QMessageBox *about = nullptr;
    QTRY_VERIFY((about = window()->findChild<QMessageBox *>(QStringLiteral("aboutDialog"))));
    QVERIFY(about->text().contains(QLatin1String("0.1.0-test")));
    QVERIFY(about->text().contains(QString::fromLatin1(qVersion())));
    QVERIFY(about->text().contains(QLatin1String("href=")));
    about->close();
}

QTEST_MAIN(tst_Window)
#include "tst_window.moc"
