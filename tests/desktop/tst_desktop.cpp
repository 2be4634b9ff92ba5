// The desktop client's widgets driven by Qt Test against a real confabd (offscreen), with
// a second user on the client library: first-start login, creating a room, sending with
// Enter, message states, receiving, typing, drafts, presence, failed messages, the
// connection banner while the server is down, the offline outbox, and the silent login
// from the real keychain (this test runs inside tests/support/with-keyring.sh).
#include "chatsession.h"
#include "composer.h"
#include "confabdprocess.h"
#include "connectionbanner.h"
#include "conversationview.h"
#include "desktopapp.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "membermodel.h"
#include "mentioncompleter.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "preferences.h"
#include "roomlistmodel.h"
#include "spellchecker.h"
#include "trayicon.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCheckBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab;
using Client::ChatSession;
using Client::MessageModel;
using State = Client::MessageModel::State;

class tst_Desktop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstStartSignsInWithTheDialog();
    void createsARoomAndSendsWithEnter();
    void receivesTypingAndMessagesFromOthers();
    void keepsADraftPerRoom();
    void failedMessagesCanBeRetriedOrDiscarded();
    void showsPresenceGoingOffline();
    void bannerAndOutboxWhileTheServerIsDown();
    void laterStartsSignInSilently();
    void notifiesDirectMessagesAndMentionsWhileInactive();
    void goesAwayWhenIdleAndBackOnInput();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    MessageModel *messages() const { return window()->conversation()->messages(); }
    State stateOfRow(int row) const { return messages()->index(row).data(MessageModel::StateRole).value<State>(); }
    QString textOfRow(int row) const { return messages()->index(row).data(MessageModel::TextRole).toString(); }
    void type(const QString &text, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    bool startBob();

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    std::unique_ptr<ChatSession> m_bob;
    const QString m_room = QStringLiteral("lobby");
};

void tst_Desktop::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
}

void tst_Desktop::cleanupTestCase()
{
    m_app.reset();
    m_bob.reset();
}

void tst_Desktop::type(const QString &text, Qt::KeyboardModifiers modifiers)
{
    Desktop::Composer *composer = window()->conversation()->composer();
    QTest::keyClicks(composer, text);
    QTest::keyClick(composer, Qt::Key_Return, modifiers);
}

bool tst_Desktop::startBob()
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

void tst_Desktop::firstStartSignsInWithTheDialog()
{
    Desktop::DesktopApp::Options options;
    options.dataDir = m_dir.filePath(QStringLiteral("alice"));
    m_app = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_app->start();
    Desktop::LoginDialog *login = m_app->loginDialog();
    QVERIFY(login);
    QVERIFY(QTest::qWaitForWindowExposed(login));
    QVERIFY(!m_app->mainWindow());

    QPushButton *ok = login->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    login->findChild<QLineEdit *>(QStringLiteral("serverField"))->setText(m_server.url().toString());
    login->findChild<QLineEdit *>(QStringLiteral("userField"))->setText(QStringLiteral("alice"));
    QVERIFY(!ok->isEnabled()); // no password yet
    QTest::keyClicks(login->findChild<QLineEdit *>(QStringLiteral("passwordField")), QStringLiteral("wrong-password"));
    QVERIFY(ok->isEnabled());

    // A wrong password (the account does not exist yet) keeps the dialog up with a reason.
    QTest::mouseClick(ok, Qt::LeftButton);
    // The dialog deletes itself once signed in: hold its parts by QPointer.
    QPointer<QLabel> error = login->findChild<QLabel *>(QStringLiteral("loginError"));
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 10000);
    QVERIFY(!error->text().isEmpty());
    QVERIFY(!m_app->mainWindow());

    login->findChild<QCheckBox *>(QStringLiteral("createAccountBox"))->setChecked(true);
    QVERIFY(!ok->isEnabled()); // a new account's password is typed twice
    QTest::keyClicks(login->findChild<QLineEdit *>(QStringLiteral("confirmPasswordField")),
                     QStringLiteral("wrong-password"));
    QVERIFY(ok->isEnabled());
    login->findChild<QCheckBox *>(QStringLiteral("rememberBox"))->setChecked(true);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->mainWindow(), qPrintable(error ? error->text() : QString()), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
    QCOMPARE(m_app->session()->user(), QStringLiteral("alice"));
    QTRY_VERIFY(!m_app->loginDialog() || !m_app->loginDialog()->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(window()));
}

void tst_Desktop::createsARoomAndSendsWithEnter()
{
    QVERIFY(window());
    window()->findChild<QAction *>(QStringLiteral("createRoomAction"))->trigger();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window()->findChild<QDialog *>(QStringLiteral("newRoomDialog"))));
    auto *create = dialog->findChild<QPushButton *>(QStringLiteral("newRoomCreateButton"));
    dialog->findChild<QLineEdit *>(QStringLiteral("newRoomName"))->setText(QStringLiteral("Bad Name"));
    QVERIFY(!create->isEnabled()); // not a room name: nothing to send
    dialog->findChild<QLineEdit *>(QStringLiteral("newRoomName"))->setText(QStringLiteral("#") + m_room);
    QVERIFY(create->isEnabled());
    create->click();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), m_room, 10000);
    QVERIFY(window()->rooms()->rowOf(m_room) >= 0);
    QCOMPARE(window()->windowTitle(), QStringLiteral("#lobby — Confab"));

    QVERIFY(startBob());
    QSignalSpy bobGot(m_bob.get(), &ChatSession::messageReceived);
    QVERIFY(window()->members());
    QTRY_COMPARE_WITH_TIMEOUT(window()->members()->rowCount(), 1, 10000);
    QJsonObject joined;
    m_bob->request(QStringLiteral("room:join"), { { QStringLiteral("room"), m_room } },
                   [&](const QJsonObject &a) { joined = a; });
    QTRY_VERIFY_WITH_TIMEOUT(joined.value(QStringLiteral("ok")).toBool(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(window()->members()->rowCount(), 2, 10000);

    // Enter sends: the message is shown at once (pending), then sent, then delivered
    // (bob's client confirms it).
    type(QStringLiteral("hello from the desktop"));
    QCOMPARE(messages()->rowCount(), 1);
    QCOMPARE(textOfRow(0), QStringLiteral("hello from the desktop"));
    QVERIFY(window()->conversation()->composer()->toPlainText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(stateOfRow(0) == State::Sent || stateOfRow(0) == State::Delivered, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOfRow(0), State::Delivered, 10000);
    QVERIFY(bobGot.count() >= 1);

    // Shift+Enter is a new line, not a send.
    QTest::keyClicks(window()->conversation()->composer(), QStringLiteral("line one"));
    QTest::keyClick(window()->conversation()->composer(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(messages()->rowCount(), 1);
    type(QStringLiteral("line two"));
    QCOMPARE(messages()->rowCount(), 2);
    QCOMPARE(textOfRow(1), QStringLiteral("line one\nline two"));
    QTRY_VERIFY_WITH_TIMEOUT(stateOfRow(1) != State::Pending, 10000);
}

void tst_Desktop::receivesTypingAndMessagesFromOthers()
{
    // Alice's typing reaches bob; bob's typing shows under alice's conversation.
    QSignalSpy bobEvents(m_bob.get(), &ChatSession::eventReceived);
    QTest::keyClicks(window()->conversation()->composer(), QStringLiteral("thinking"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(bobEvents.cbegin(), bobEvents.cend(),
                                         [](const QList<QVariant> &event) {
                                             return event.at(0).toString() == QLatin1String("typing")
                                                 && event.at(1).toJsonObject().value(QStringLiteral("active")).toBool();
                                         }),
                             10000);
    window()->conversation()->composer()->clear();

    m_bob->setTyping(m_room, true);
    QTRY_COMPARE_WITH_TIMEOUT(window()->conversation()->typingText(), QStringLiteral("bob is typing…"), 10000);
    const int before = messages()->rowCount();
    m_bob->sendMessage(m_room, QStringLiteral("hi alice"));
    QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), before + 1, 10000);
    QCOMPARE(textOfRow(before), QStringLiteral("hi alice"));
    QCOMPARE(messages()->index(before).data(MessageModel::FromRole).toString(), QStringLiteral("bob"));
    QTRY_VERIFY(window()->conversation()->typingText().isEmpty()); // his message ends his typing

    // "@" offers the room's members from the server (bob), and Tab completes.
    Desktop::Composer *composer = window()->conversation()->composer();
    QAbstractItemView *mentionList = composer->mentionCompleter()->completer()->popup();
    const auto bobIsAMember = [this] {
        Client::MemberModel *members = window()->members();
        return members->rowCount() > 0
            && !members
                    ->match(members->index(0), Client::MemberModel::UserRole, QStringLiteral("bob"), 1,
                            Qt::MatchExactly)
                    .isEmpty();
    };
    QTRY_VERIFY_WITH_TIMEOUT(bobIsAMember(), 10000);
    QTest::keyClicks(composer, QStringLiteral("thanks @b"));
    QTRY_VERIFY(mentionList->isVisible());
    QTest::keyClick(mentionList, Qt::Key_Tab);
    QCOMPARE(composer->toPlainText(), QStringLiteral("thanks @bob "));
    composer->clear();

    // Settings ▸ Spelling reaches the composer: off, and on again with the dictionary.
    QVERIFY(composer->spellChecker() && composer->spellChecker() == window()->spellChecker());
    window()->preferences()->setSpellCheckEnabled(false);
    QVERIFY(!composer->spellChecker());
    window()->preferences()->setSpellCheckEnabled(true);
    QCOMPARE(composer->spellChecker(), window()->spellChecker());
    QVERIFY(composer->spellChecker()->isReady());
}

void tst_Desktop::keepsADraftPerRoom()
{
    QTest::keyClicks(window()->conversation()->composer(), QStringLiteral("half a thought"));
    window()->openDirectMessage(QStringLiteral("bob"));
    QTRY_VERIFY_WITH_TIMEOUT(window()->currentRoom().startsWith(QLatin1String("dm:")), 10000);
    const QString direct = window()->currentRoom();
    QCOMPARE(
        window()->rooms()->index(window()->rooms()->rowOf(direct)).data(Client::RoomListModel::TitleRole).toString(),
        QStringLiteral("@bob"));
    QVERIFY(window()->conversation()->composer()->toPlainText().isEmpty());
    window()->selectRoom(m_room);
    QCOMPARE(window()->conversation()->composer()->toPlainText(), QStringLiteral("half a thought"));
    window()->conversation()->composer()->clear();
}

// Clicks the first point of a row where the delegate has `part` (the Retry or Discard link).
static bool clickPart(QListView *list, int row, Desktop::MessageDelegate::Part part)
{
    auto *delegate = qobject_cast<Desktop::MessageDelegate *>(list->itemDelegate());
    const QModelIndex index = list->model()->index(row, 0);
    QStyleOptionViewItem option;
    option.initFrom(list);
    option.rect = list->visualRect(index);
    // The Retry · Discard line is the row's last.
    const int lines = 2 * list->fontMetrics().height();
    for (int y = option.rect.bottom(); y >= std::max(option.rect.top(), option.rect.bottom() - lines); y -= 2) {
        for (int x = option.rect.left(); x <= option.rect.right(); x += 3) {
            if (delegate->partAt(option, index, QPoint(x, y)) == part) {
                QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, QPoint(x, y));
                return true;
            }
        }
    }
    return false;
}

void tst_Desktop::failedMessagesCanBeRetriedOrDiscarded()
{
    ChatSession *session = m_app->session();
    // Refused because alice is no longer in the room: the reason is shown, and Retry can
    // succeed once she is back.
    bool answered = false;
    session->request(QStringLiteral("room:leave"), { { QStringLiteral("room"), m_room } },
                     [&](const QJsonObject &) { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QSignalSpy failed(session, &ChatSession::messageFailed);
    session->sendMessage(m_room, QStringLiteral("while not a member"));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.last().at(1).toString(), QStringLiteral("forbidden"));
    answered = false;
    session->request(QStringLiteral("room:join"), { { QStringLiteral("room"), m_room } },
                     [&](const QJsonObject &) { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QTRY_VERIFY(window()->rooms()->rowOf(m_room) >= 0);
    window()->selectRoom(m_room);
    const int row = messages()->rowCount() - 1;
    QCOMPARE(textOfRow(row), QStringLiteral("while not a member"));
    QCOMPARE(stateOfRow(row), State::Failed);
    QVERIFY(!messages()->index(row).data(MessageModel::ErrorRole).toString().isEmpty());
    QVERIFY(messages()->index(row).data(MessageModel::CanRetryRole).toBool());
    QListView *list = window()->conversation()->messageList();
    QTRY_VERIFY(list->visualRect(messages()->index(row)).height() > 0);
    QVERIFY(clickPart(list, row, Desktop::MessageDelegate::Part::Retry));
    // Older pages may load above meanwhile: it is the newest row.
    auto newest = [this] { return messages()->rowCount() - 1; };
    QTRY_VERIFY_WITH_TIMEOUT(stateOfRow(newest()) != State::Failed && stateOfRow(newest()) != State::Pending, 10000);
    QCOMPARE(textOfRow(newest()), QStringLiteral("while not a member"));

    // Longer than the server accepts (sent past the composer's own check): a refusal that
    // retrying cannot fix, so only Discard is offered.
    const int tooLong = messages()->rowCount();
    session->sendMessage(m_room, QString(4100, QLatin1Char('x')));
    QTRY_COMPARE_WITH_TIMEOUT(stateOfRow(tooLong), State::Failed, 10000);
    QVERIFY(!messages()->index(tooLong).data(MessageModel::CanRetryRole).toBool());
    QTRY_VERIFY(list->visualRect(messages()->index(tooLong)).height() > 0);
    QVERIFY(!clickPart(list, tooLong, Desktop::MessageDelegate::Part::Retry));
    QVERIFY(clickPart(list, tooLong, Desktop::MessageDelegate::Part::Discard));
    QCOMPARE(messages()->rowCount(), tooLong);
    QCOMPARE(session->pendingCount(), 0);
}

void tst_Desktop::showsPresenceGoingOffline()
{
    auto statusOfBob = [this] {
        Client::MemberModel *members = window()->members();
        for (int row = 0; row < members->rowCount(); ++row) {
            if (members->index(row).data(Client::MemberModel::UserRole).toString() == QLatin1String("bob"))
                return members->index(row).data(Client::MemberModel::StatusRole).toString();
        }
        return QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(statusOfBob(), QStringLiteral("online"), 10000);
    m_bob->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(statusOfBob(), QStringLiteral("offline"), 15000);
    // The offline row says when he was last seen.
    const QModelIndex bob = window()->members()->index(window()->members()->rowCount() - 1);
    QVERIFY(bob.data(Client::MemberModel::LastSeenRole).toLongLong() > 0);
}

void tst_Desktop::bannerAndOutboxWhileTheServerIsDown()
{
    Desktop::ConnectionBanner *banner = window()->banner();
    QVERIFY(!banner->isVisible()); // nothing to say while all is well
    m_server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().startsWith(QLatin1String("Reconnecting in")), 15000);
    QVERIFY(window()->findChild<QPushButton *>(QStringLiteral("retryNowButton"))->isVisible());

    // Written offline: shown at once as pending, counted in the banner.
    const int row = messages()->rowCount();
    type(QStringLiteral("written while the server was down"));
    QCOMPARE(messages()->rowCount(), row + 1);
    QCOMPARE(stateOfRow(row), State::Pending);
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(
                                 QLatin1String("1 message will be sent when the connection returns")),
                             5000);

    QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
    window()->findChild<QPushButton *>(QStringLiteral("retryNowButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(stateOfRow(row) != State::Pending, 20000);
    QCOMPARE(textOfRow(row), QStringLiteral("written while the server was down"));
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 10000);

    // Bob, back, gets it from the server.
    QSignalSpy bobGot(m_bob.get(), &ChatSession::messageReceived);
    m_bob->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(bobGot.cbegin(), bobGot.cend(),
                                         [](const QList<QVariant> &args) {
                                             return args.at(0).toJsonObject().value(QStringLiteral("text")).toString()
                                                 == QLatin1String("written while the server was down");
                                         }),
                             15000);
}

void tst_Desktop::laterStartsSignInSilently()
{
    const int shown = messages()->rowCount();
    window()->quit(); // saves geometry, splitters, the current room
    m_app.reset();

    Desktop::DesktopApp::Options options;
    options.dataDir = m_dir.filePath(QStringLiteral("alice"));
    options.window.awayAfterMs = 1500; // for goesAwayWhenIdleAndBackOnInput
    m_app = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_app->mainWindow(), 10000); // token from the keychain
    QVERIFY(!m_app->loginDialog());
    QCOMPARE(window()->currentRoom(), m_room);
    QCOMPARE(messages()->rowCount(), shown); // from the local cache, before any answer
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
}

void tst_Desktop::notifiesDirectMessagesAndMentionsWhileInactive()
{
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
    // Another window has the focus: alice is not looking at Confab.
    QWidget elsewhere;
    elsewhere.show();
    elsewhere.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&elsewhere));
    QVERIFY(!window()->isActiveWindow());

    QSignalSpy notified(window()->tray(), &Desktop::TrayIcon::notified);
    m_bob->sendMessage(m_room, QStringLiteral("just chatting"));      // neither DM nor mention: no notification
    m_bob->sendMessage(m_room, QStringLiteral("@alice have a look")); // a mention
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 10000);
    QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("bob in #lobby"));
    QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("@alice have a look"));

    QJsonObject direct;
    m_bob->request(QStringLiteral("dm:open"), { { QStringLiteral("user"), QStringLiteral("alice") } },
                   [&](const QJsonObject &answer) { direct = answer; });
    QTRY_VERIFY_WITH_TIMEOUT(direct.value(QStringLiteral("ok")).toBool(), 10000);
    m_bob->sendMessage(direct.value(QStringLiteral("room")).toObject().value(QStringLiteral("name")).toString(),
                       QStringLiteral("a word in private"));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 2, 10000);
    QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("bob"));

    // Settings: without the text (who wrote where only), then none at all.
    Desktop::Preferences *preferences = window()->preferences();
    preferences->setNotificationPreviews(false);
    m_bob->sendMessage(m_room, QStringLiteral("@alice the plan is secret"));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 3, 10000);
    QCOMPARE(notified.at(2).at(1).toString(), QStringLiteral("New message"));
    preferences->setNotificationsEnabled(false);
    QSignalSpy arrived(m_app->session(), &ChatSession::messageReceived);
    m_bob->sendMessage(m_room, QStringLiteral("@alice still there?"));
    QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 10000); // the notification was decided on that signal
    QCOMPARE(notified.count(), 3);
    preferences->setNotificationsEnabled(true);
    preferences->setNotificationPreviews(true);

    QCOMPARE(window()->tray()->unreadCount(), 5); // in the background the open room counts too
    QCOMPARE(window()->windowTitle(), QStringLiteral("(5) #lobby — Confab"));
    // Back to the window: the open room is read, the DM stays unread.
    window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window()));
    QTRY_COMPARE(window()->tray()->unreadCount(), 1);
}

void tst_Desktop::goesAwayWhenIdleAndBackOnInput()
{
    auto alicesStatus = [this](const QList<QList<QVariant>> &events) {
        QString status;
        for (const QList<QVariant> &event : events) {
            const QJsonObject payload = event.at(1).toJsonObject();
            if (event.at(0).toString() == QLatin1String("presence")
                && payload.value(QStringLiteral("user")).toString() == QLatin1String("alice"))
                status = payload.value(QStringLiteral("status")).toString();
        }
        return status;
    };
    QSignalSpy bobEvents(m_bob.get(), &ChatSession::eventReceived);
    // No input for longer than --away-after (1.5 s here): bob sees alice away.
    QTRY_COMPARE_WITH_TIMEOUT(alicesStatus(bobEvents), QStringLiteral("away"), 15000);
    // A key in her window: online again.
    QTest::keyClick(window()->conversation()->composer(), Qt::Key_Shift);
    QTRY_COMPARE_WITH_TIMEOUT(alicesStatus(bobEvents), QStringLiteral("online"), 10000);
}

QTEST_MAIN(tst_Desktop)
#include "tst_desktop.moc"
