// Running rooms in the desktop app, offscreen against a real confabd with bob as a second
// user: a private room made with the New Room dialog; its settings invite bob, make him a
// moderator (the member list says so), change the topic, and kick him after asking; a
// public room found and joined through Browse Rooms; a plain member's settings offer
// nothing they may not do.
#include "chatsession.h"
#include "confabdprocess.h"
#include "desktopapp.h"
#include "mainwindow.h"
#include "memberdelegate.h"
#include "membermodel.h"
#include "roomlistmodel.h"
#include "roomnotifications.h"
#include "roomsettingsdialog.h"

#include <QAction>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab;
using Client::ChatSession;
using Client::MemberModel;
using Desktop::RoomNotifications;

class tst_Rooms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void newRoomDialogMakesAPrivateRoom();
    void settingsInvitePromoteRetitleAndKick();
    void browseRoomsFindsAndJoinsAPublicRoom();
    void aMembersSettingsOfferOnlyWhatTheyMay();
    void roomListMenuSetsNotifications();
    void cleanupTestCase();

private:
    Desktop::MainWindow *window() const { return m_app->mainWindow(); }
    MemberModel *members() const { return window()->members(); }
    Desktop::RoomSettingsDialog *openSettings();
    template<typename T> T *child(QObject *parent, const char *name) const
    {
        return parent->findChild<T *>(QString::fromLatin1(name));
    }
    // Selects `user` in the settings' member list.
    static bool select(Desktop::RoomSettingsDialog *dialog, const QString &user);
    Chat::Result<Chat::JoinRoomAnswer> bobJoins(const QString &room);

    Testing::ConfabdProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Desktop::DesktopApp> m_app;
    ChatSession m_bob;
};

void tst_Rooms::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.error()));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    QString error;
    QVERIFY2(m_bob.openLocalStore(m_dir.filePath(QStringLiteral("bob.sqlite")), &error), qPrintable(error));
    m_bob.setServerUrl(m_server.url());
    QSignalSpy synced(&m_bob, &ChatSession::synced);
    connect(&m_bob, &ChatSession::loggedIn, &m_bob, &ChatSession::connectToServer);
    m_bob.registerAccount(QStringLiteral("bob"), QStringLiteral("bob-password"));
    QVERIFY(synced.wait(10000));

    Desktop::DesktopApp::Options options;
    options.dataDir = m_dir.filePath(QStringLiteral("alice"));
    options.serverUrl = m_server.url();
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("alice-password");
    options.createAccount = true;
    options.window.useTray = false;
    m_app = std::make_unique<Desktop::DesktopApp>(m_settings.get(), options);
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(window(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->session()->isOnline(), 10000);
    window()->resize(1000, 700);
    window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(window()));
}

void tst_Rooms::cleanupTestCase()
{
    m_app.reset();
}

Chat::Result<Chat::JoinRoomAnswer> tst_Rooms::bobJoins(const QString &room)
{
    std::optional<Chat::Result<Chat::JoinRoomAnswer>> result;
    m_bob.joinRoom(room, [&result](const Chat::Result<Chat::JoinRoomAnswer> &answer) { result = answer; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10000))
        return Chat::Error { Chat::ErrorCode::Unavailable, QStringLiteral("no answer") };
    return *result;
}

Desktop::RoomSettingsDialog *tst_Rooms::openSettings()
{
    QAction *action = child<QAction>(window(), "roomSettingsAction");
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    Desktop::RoomSettingsDialog *dialog = nullptr;
    const bool opened = QTest::qWaitFor(
        [&] { return (dialog = child<Desktop::RoomSettingsDialog>(window(), "roomSettingsDialog")); });
    return opened ? dialog : nullptr;
}

bool tst_Rooms::select(Desktop::RoomSettingsDialog *dialog, const QString &user)
{
    auto *list = dialog->findChild<QListView *>(QStringLiteral("settingsMembers"));
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        const QModelIndex index = list->model()->index(row, 0);
        if (index.data(MemberModel::UserRole).toString() == user) {
            list->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

void tst_Rooms::newRoomDialogMakesAPrivateRoom()
{
    child<QAction>(window(), "createRoomAction")->trigger();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = child<QDialog>(window(), "newRoomDialog")));
    child<QLineEdit>(dialog, "newRoomName")->setText(QStringLiteral("backstage"));
    child<QLineEdit>(dialog, "newRoomTopic")->setText(QStringLiteral("crew only"));
    child<QRadioButton>(dialog, "newRoomPrivate")->setChecked(true);
    child<QPushButton>(dialog, "newRoomCreateButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), QStringLiteral("backstage"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(members()->roleOf(QStringLiteral("alice")), QStringLiteral("owner"), 10000);
    QCOMPARE(members()->visibility(), Chat::Visibility::Private);
    QCOMPARE(members()->topic(), QStringLiteral("crew only"));
    // Private: bob cannot walk in.
    const auto refused = bobJoins(QStringLiteral("backstage"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Chat::ErrorCode::Forbidden);
}

void tst_Rooms::settingsInvitePromoteRetitleAndKick()
{
    QCOMPARE(window()->currentRoom(), QStringLiteral("backstage"));
    Desktop::RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    auto *invite = child<QPushButton>(dialog, "settingsInvite");
    auto *moderator = child<QPushButton>(dialog, "settingsModerator");
    auto *kick = child<QPushButton>(dialog, "settingsKick");
    QVERIFY(invite->isEnabled()); // the owner of a private room

    dialog->setInviteeChooser([] { return QStringLiteral("bob"); });
    invite->click();
    QTRY_COMPARE_WITH_TIMEOUT(members()->roleOf(QStringLiteral("bob")), QStringLiteral("member"), 10000);
    QTRY_VERIFY(child<QLabel>(dialog, "settingsStatus")->text().contains(QStringLiteral("bob")));

    // Nothing to do to oneself, the owner.
    QVERIFY(select(dialog, QStringLiteral("alice")));
    QVERIFY(!moderator->isEnabled());
    QVERIFY(!kick->isEnabled());

    QVERIFY(select(dialog, QStringLiteral("bob")));
    QVERIFY(moderator->isEnabled());
    QCOMPARE(moderator->text().remove(QLatin1Char('&')), QStringLiteral("Make Moderator"));
    moderator->click();
    QTRY_COMPARE_WITH_TIMEOUT(members()->roleOf(QStringLiteral("bob")), QStringLiteral("moderator"), 10000);
    const QModelIndex bob = members()->index(0).data(MemberModel::UserRole).toString() == QStringLiteral("bob")
        ? members()->index(0)
        : members()->index(1);
    QVERIFY(Desktop::MemberDelegate::detailText(bob).startsWith(QStringLiteral("Moderator")));
    // The list was refilled with the new roles; bob is still the one selected.
    QCOMPARE(child<QListView>(dialog, "settingsMembers")->currentIndex().data(MemberModel::UserRole).toString(),
             QStringLiteral("bob"));
    QTRY_COMPARE(moderator->text().remove(QLatin1Char('&')), QStringLiteral("Make Member"));

    auto *topic = child<QLineEdit>(dialog, "settingsTopic");
    topic->setText(QStringLiteral("stage crew"));
    child<QPushButton>(dialog, "settingsSaveTopic")->click();
    QTRY_COMPARE_WITH_TIMEOUT(members()->topic(), QStringLiteral("stage crew"), 10000);

    // A kick asks first; bob is out, and (private) cannot come back by himself.
    QString asked;
    dialog->setConfirmer([&asked](const QString &question, std::function<void()> yes) {
        asked = question;
        yes();
    });
    QVERIFY(select(dialog, QStringLiteral("bob")));
    kick->click();
    QVERIFY(asked.contains(QStringLiteral("bob")));
    QTRY_VERIFY_WITH_TIMEOUT(members()->roleOf(QStringLiteral("bob")).isEmpty(), 10000);
    QCOMPARE(bobJoins(QStringLiteral("backstage")).error().code, Chat::ErrorCode::Forbidden);
    dialog->close();
}

void tst_Rooms::browseRoomsFindsAndJoinsAPublicRoom()
{
    bool created = false;
    m_bob.createRoom({ QStringLiteral("bobs-place"), QStringLiteral("Bob's open house") },
                     [&](const Chat::Result<Chat::RoomAnswer> &answer) { created = answer.isOk(); });
    QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    child<QAction>(window(), "browseRoomsAction")->trigger();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = child<QDialog>(window(), "roomDirectoryDialog")));
    child<QLineEdit>(dialog, "directoryQuery")->setText(QStringLiteral("OPEN HOUSE"));
    auto *rooms = child<QListWidget>(dialog, "directoryRooms");
    QTRY_VERIFY_WITH_TIMEOUT(rooms->count() > 0 && rooms->item(0)->text().startsWith(QStringLiteral("#bobs-place")),
                             10000);
    QVERIFY(rooms->item(0)->text().contains(QStringLiteral("1 member")));
    QVERIFY(!rooms->item(0)->text().contains(QStringLiteral("backstage")));
    QVERIFY(!rooms->item(0)->text().contains(QStringLiteral("joined")));
    auto *join = child<QPushButton>(dialog, "directoryJoinButton");
    QCOMPARE(join->text(), QStringLiteral("Join #bobs-place"));
    join->click();
    QTRY_COMPARE_WITH_TIMEOUT(window()->currentRoom(), QStringLiteral("bobs-place"), 10000);

    // Browsing again: alice is in it now, so it is marked, and the button opens it.
    child<QAction>(window(), "browseRoomsAction")->trigger();
    QTRY_VERIFY((dialog = child<QDialog>(window(), "roomDirectoryDialog")));
    child<QLineEdit>(dialog, "directoryQuery")->setText(QStringLiteral("open house"));
    rooms = child<QListWidget>(dialog, "directoryRooms");
    QTRY_VERIFY_WITH_TIMEOUT(rooms->count() > 0 && rooms->item(0)->text().contains(QStringLiteral("joined")), 10000);
    QCOMPARE(child<QPushButton>(dialog, "directoryJoinButton")->text(), QStringLiteral("Open #bobs-place"));
    dialog->close();
}

void tst_Rooms::aMembersSettingsOfferOnlyWhatTheyMay()
{
    QCOMPARE(window()->currentRoom(), QStringLiteral("bobs-place"));
    QTRY_COMPARE_WITH_TIMEOUT(members()->roleOf(QStringLiteral("bob")), QStringLiteral("owner"), 10000);
    Desktop::RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    QVERIFY(select(dialog, QStringLiteral("bob")));
    QVERIFY(child<QLineEdit>(dialog, "settingsTopic")->isReadOnly());
    QVERIFY(!child<QPushButton>(dialog, "settingsSaveTopic")->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "settingsModerator")->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "settingsKick")->isEnabled());
    QVERIFY(!child<QPushButton>(dialog, "settingsBan")->isEnabled());
    QVERIFY(child<QPushButton>(dialog, "settingsInvite")->isEnabled()); // a public room: any member invites
    QVERIFY(child<QLabel>(dialog, "settingsStatus")->text().contains(QStringLiteral("owner and moderators")));
    dialog->close();
}

// The room list's context menu: a room's notifications (all, mentions, nothing) and a
// mute, as RoomNotifications then answers for the room.
void tst_Rooms::roomListMenuSetsNotifications()
{
    auto *list = child<QListView>(window(), "roomList");
    const QModelIndex backstage = list->model()->index(window()->rooms()->rowOf(QStringLiteral("backstage")), 0);
    QVERIFY(backstage.isValid());
    auto openMenu = [&]() -> QMenu * {
        Q_EMIT list->customContextMenuRequested(list->visualRect(backstage).center());
        QMenu *menu = nullptr;
        const bool shown
            = QTest::qWaitFor([&] { return (menu = child<QMenu>(window(), "roomContextMenu")) && menu->isVisible(); });
        return shown ? menu : nullptr;
    };
    auto actionIn = [](QMenu *menu, const QString &text) -> QAction * {
        for (QAction *action : menu->findChild<QMenu *>(QStringLiteral("notificationsMenu"))->actions()) {
            if (action->text().remove(QLatin1Char('&')).startsWith(text))
                return action;
        }
        return nullptr;
    };
    const RoomNotifications notifications(m_settings.get());
    QVERIFY(notifications.shouldNotify(QStringLiteral("backstage"), false, true, QStringLiteral("online")));
    QMenu *menu = openMenu();
    QVERIFY(menu);
    QVERIFY(actionIn(menu, QStringLiteral("Mentions Only"))->isChecked()); // a room's default
    actionIn(menu, QStringLiteral("Nothing"))->trigger();
    menu->close();
    QTRY_VERIFY(!child<QMenu>(window(), "roomContextMenu"));
    QCOMPARE(notifications.level(QStringLiteral("backstage")), RoomNotifications::Level::Nothing);
    QVERIFY(!notifications.shouldNotify(QStringLiteral("backstage"), false, true, QStringLiteral("online")));

    menu = openMenu();
    QVERIFY(actionIn(menu, QStringLiteral("Nothing"))->isChecked());
    actionIn(menu, QStringLiteral("All Messages"))->trigger();
    actionIn(menu, QStringLiteral("Mute for 1 Hour"))->trigger();
    menu->close();
    QTRY_VERIFY(!child<QMenu>(window(), "roomContextMenu"));
    QVERIFY(notifications.isMuted(QStringLiteral("backstage")));
    QVERIFY(!notifications.shouldNotify(QStringLiteral("backstage"), false, false, QStringLiteral("online")));
    menu = openMenu();
    QVERIFY(actionIn(menu, QStringLiteral("Unmute")));
    actionIn(menu, QStringLiteral("Unmute"))->trigger();
    menu->close();
    QVERIFY(notifications.shouldNotify(QStringLiteral("backstage"), false, false, QStringLiteral("online")));
}

QTEST_MAIN(tst_Rooms)
#include "tst_rooms.moc"
