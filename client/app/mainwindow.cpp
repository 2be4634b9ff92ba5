#include "mainwindow.h"

#include "attachmentfiles.h"
#include "chatsession.h"
#include "composer.h"
#include "connectionbanner.h"
#include "conversationview.h"
#include "helpmenu.h"
#include "idlewatcher.h"
#include "memberdelegate.h"
#include "membermodel.h"
#include "preferences.h"
#include "roomdelegate.h"
#include "roomlistmodel.h"
#include "roomnotifications.h"
#include "roomswitcher.h"
#include "settingsdialog.h"
#include "spellchecker.h"
#include "theme.h"
#include "trayicon.h"
#include "typingtracker.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDropEvent>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::ChatSession;
using Client::MemberModel;
using Client::RoomListModel;

namespace {

// Online first, then away, busy, offline; by name within each.
class MemberOrder : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        const int leftRank = rank(left.data(MemberModel::StatusRole).toString());
        const int rightRank = rank(right.data(MemberModel::StatusRole).toString());
        if (leftRank != rightRank)
            return leftRank < rightRank;
        return left.data(MemberModel::UserRole)
                   .toString()
                   .localeAwareCompare(right.data(MemberModel::UserRole).toString())
            < 0;
    }

private:
    static int rank(const QString &status)
    {
        static const QStringList order { QStringLiteral("online"), QStringLiteral("away"), QStringLiteral("busy") };
        const auto index = order.indexOf(status);
        return index < 0 ? int(order.size()) : int(index);
    }
};

} // namespace

MainWindow::MainWindow(ChatSession *session, QSettings *settings, const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_settings(settings)
    , m_rooms(new RoomListModel(session, this))
    , m_typing(new Client::TypingTracker(session, this))
    , m_memberOrder(new MemberOrder(this))
    , m_banner(new ConnectionBanner(session, this))
    , m_conversation(new ConversationView(session, m_typing, this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_roomList(new QListView(this))
    , m_memberList(new QListView(this))
    , m_memberHeader(panelHeader(tr("Members"), this))
    , m_status(new QComboBox(this))
    , m_search(new SearchPanel(
          session, [this](const QString &room) { return roomTitle(room); }, this))
    , m_tray(new TrayIcon(options.useTray, this))
    , m_idle(new IdleWatcher(session, 0, this))
    , m_preferences(new Preferences(settings, this))
    , m_spell(
          new SpellChecker(QFileInfo(settings->fileName()).absolutePath() + QStringLiteral("/dictionary.txt"), this))
    , m_options(options)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(appIcon());
    setAcceptDrops(true);

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(createRoomPanel());
    m_splitter->addWidget(m_conversation);
    m_conversation->setMinimumWidth(280); // the side panels stop the window from narrowing it further
    m_memberPanel = createMemberPanel();
    m_splitter->addWidget(m_memberPanel);
    m_splitter->addWidget(m_search);
    m_search->hide();
    // Only the conversation grows and shrinks with the window; the side panels keep their width.
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setStretchFactor(3, 0);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({ 230, 650, 200 });

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    statusBar()->setSizeGripEnabled(true);

    createActions();
    setUpSearch();
    setTabOrder(m_roomList, m_conversation->composer());
    setTabOrder(m_conversation->composer(), m_memberList);

    connect(m_banner, &ConnectionBanner::signInRequested, this, &MainWindow::signInRequested);
    connect(m_conversation->composer(), &Composer::submitRefused, this, &MainWindow::showMessage);
    connect(m_rooms, &RoomListModel::unreadTotalChanged, this, [this](int unread) {
        m_tray->setUnreadCount(unread);
        updateTitle();
    });
    connect(m_rooms, &QAbstractItemModel::rowsInserted, this, [this] {
        if (currentRoom().isEmpty() && m_rooms->rowCount() > 0)
            selectRoom(m_rooms->index(0).data(RoomListModel::NameRole).toString());
    });
    connect(session, &ChatSession::messageReceived, this, &MainWindow::notifyIfWanted);
    connect(session, &ChatSession::synced, this, [this] { m_live = true; });
    connect(session, &ChatSession::onlineChanged, this, [this](bool online) {
        if (!online)
            m_live = false;
        else if (m_members)
            m_members->refresh(); // presence may have changed while we were away
    });
    connect(m_tray, &TrayIcon::showRequested, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);

    connect(m_preferences, &Preferences::themeChanged, this, &applyTheme);
    connect(m_preferences, &Preferences::spellingChanged, this, &MainWindow::applySpelling);
    connect(m_preferences, &Preferences::awayAfterChanged, this, &MainWindow::applyAwayAfter);
    applySpelling();
    applyAwayAfter();

    restoreSettings();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&Chat"));
    QAction *createRoom
        = fileMenu->addAction(icon(QStringLiteral("new-room")), tr("&New Room…"), this, [this] { askForRoom(true); });
    createRoom->setObjectName(QStringLiteral("createRoomAction"));
    createRoom->setShortcut(QKeySequence::New);
    QAction *joinRoom
        = fileMenu->addAction(icon(QStringLiteral("room")), tr("&Join Room…"), this, [this] { askForRoom(false); });
    joinRoom->setObjectName(QStringLiteral("joinRoomAction"));
    joinRoom->setShortcut(QKeySequence(tr("Ctrl+J")));
    QAction *browseRooms = fileMenu->addAction(tr("&Browse Rooms…"), this, &MainWindow::browseRooms);
    browseRooms->setObjectName(QStringLiteral("browseRoomsAction"));
    browseRooms->setShortcut(QKeySequence(tr("Ctrl+Shift+J")));
    m_roomSettings = fileMenu->addAction(tr("Room &Settings…"), this, &MainWindow::openRoomSettings);
    m_roomSettings->setObjectName(QStringLiteral("roomSettingsAction"));
    m_leaveRoom = fileMenu->addAction(tr("&Leave Room…"), this, [this] { confirmLeaveRoom(currentRoom()); });
    m_leaveRoom->setObjectName(QStringLiteral("leaveRoomAction"));
    updateLeaveAction();
    fileMenu->addSeparator();
    QAction *signOut = fileMenu->addAction(tr("Sign &Out"), this, &MainWindow::signOutRequested);
    signOut->setObjectName(QStringLiteral("signOutAction"));
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), this, &MainWindow::quit);
    // Ctrl+Q where the platform has no Quit key (Windows, and the offscreen platform).
    quitAction->setShortcut(QKeySequence::keyBindings(QKeySequence::Quit).value(0, QKeySequence(tr("Ctrl+Q"))));
    quitAction->setMenuRole(QAction::QuitRole);

    if (auto *add = findChild<QToolButton *>(QStringLiteral("addRoomButton"))) {
        auto *menu = new QMenu(add);
        menu->addAction(createRoom);
        menu->addAction(joinRoom);
        menu->addAction(browseRooms);
        add->setMenu(menu);
    }

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction *findInRoom = editMenu->addAction(QIcon::fromTheme(QStringLiteral("edit-find")), tr("&Find in Room…"), this,
                                              [this] { openSearch(SearchPanel::Scope::Room); });
    findInRoom->setObjectName(QStringLiteral("findInRoomAction"));
    findInRoom->setShortcut(QKeySequence(tr("Ctrl+F")));
    QAction *findEverywhere
        = editMenu->addAction(tr("Search &All Rooms…"), this, [this] { openSearch(SearchPanel::Scope::Everywhere); });
    findEverywhere->setObjectName(QStringLiteral("searchAllRoomsAction"));
    findEverywhere->setShortcut(QKeySequence(tr("Ctrl+Shift+F")));
    editMenu->addSeparator();
    QAction *settingsAction = editMenu->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")),
                                                  tr("&Settings…"), this, [this] { openSettings(); });
    settingsAction->setObjectName(QStringLiteral("settingsAction"));
    settingsAction->setShortcut(
        QKeySequence::keyBindings(QKeySequence::Preferences).value(0, QKeySequence(tr("Ctrl+,"))));
    settingsAction->setMenuRole(QAction::PreferencesRole);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *switcher = viewMenu->addAction(tr("&Switch Room…"), this, [this] {
        auto *dialog = new RoomSwitcher(m_rooms, this);
        connect(dialog, &RoomSwitcher::roomChosen, this, &MainWindow::selectRoom);
        dialog->open();
    });
    switcher->setObjectName(QStringLiteral("roomSwitcherAction"));
    switcher->setShortcut(QKeySequence(tr("Ctrl+K")));
    QAction *previous = viewMenu->addAction(tr("&Previous Room"), this, [this] { stepRoom(-1); });
    previous->setShortcut(QKeySequence(tr("Alt+Up")));
    QAction *next = viewMenu->addAction(tr("&Next Room"), this, [this] { stepRoom(1); });
    next->setShortcut(QKeySequence(tr("Alt+Down")));
    viewMenu->addSeparator();
    m_showMembers = viewMenu->addAction(tr("Show &Members"));
    m_showMembers->setObjectName(QStringLiteral("showMembersAction"));
    m_showMembers->setCheckable(true);
    m_showMembers->setChecked(true);
    m_showMembers->setShortcut(QKeySequence(tr("Ctrl+M")));
    connect(m_showMembers, &QAction::toggled, this, [this](bool show) {
        if (m_search->isHidden())
            m_memberPanel->setVisible(show);
        else if (show)
            closeSearch(); // the members take their place again
    });
    QAction *focusComposer = new QAction(tr("Back to the message box"), this);
    focusComposer->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(focusComposer, &QAction::triggered, m_conversation->composer(), qOverload<>(&QWidget::setFocus));
    addAction(focusComposer);
    addHelpMenu(this);
}

void MainWindow::showStatus(const QString &status)
{
    const int index = m_status->findData(status);
    if (index >= 0)
        m_status->setCurrentIndex(index);
}

void MainWindow::updateLeaveAction()
{
    if (!m_leaveRoom)
        return;
    const int row = m_rooms->rowOf(currentRoom());
    const bool isRoom = row >= 0 && !m_rooms->index(row).data(RoomListModel::IsDirectRole).toBool();
    m_leaveRoom->setEnabled(isRoom);
    if (m_roomSettings)
        m_roomSettings->setEnabled(isRoom); // a direct-message room has no settings
}

void MainWindow::selectNearRow(int row)
{
    const int count = m_rooms->rowCount();
    if (count == 0) {
        m_conversation->setRoom({}, {});
        m_conversation->setTopic({});
        delete m_members;
        m_memberHeader->setText(tr("Members"));
        m_search->setRoom({});
        updateLeaveAction();
        updateTitle();
        return;
    }
    selectRoom(m_rooms->index(std::clamp(row, 0, count - 1)).data(RoomListModel::NameRole).toString());
}

QString MainWindow::currentRoom() const
{
    return m_conversation->room();
}

void MainWindow::selectRoom(const QString &room)
{
    if (room.isEmpty() || room == currentRoom())
        return;
    const int row = m_rooms->rowOf(room);
    if (row < 0)
        return;
    const QModelIndex index = m_rooms->index(row);
    m_roomList->setCurrentIndex(index);
    m_rooms->setCurrentRoom(room);
    m_conversation->setRoom(room, index.data(RoomListModel::TitleRole).toString());
    m_conversation->setTopic({});
    delete m_members;
    m_members = new MemberModel(m_session, room, this);
    connect(m_members, &MemberModel::topicChanged, m_conversation, &ConversationView::setTopic);
    m_conversation->composer()->setMembers(m_members, m_session->user());
    m_memberOrder->setSourceModel(m_members);
    m_memberOrder->sort(0);
    auto countMembers = [this] { m_memberHeader->setText(tr("Members — %1").arg(m_memberOrder->rowCount())); };
    connect(m_members, &QAbstractItemModel::modelReset, this, countMembers);
    connect(m_members, &QAbstractItemModel::rowsInserted, this, countMembers);
    connect(m_members, &QAbstractItemModel::rowsRemoved, this, countMembers);
    countMembers();
    if (m_session->isOnline())
        m_members->refresh();
    m_search->setRoom(room);
    m_conversation->composer()->setFocus();
    updateLeaveAction();
    updateTitle();
}

void MainWindow::stepRoom(int delta)
{
    const int count = m_rooms->rowCount();
    if (count == 0)
        return;
    const int row = (m_rooms->rowOf(currentRoom()) + delta + count) % count;
    selectRoom(m_rooms->index(row).data(RoomListModel::NameRole).toString());
}

void MainWindow::notifyIfWanted(const QJsonObject &message)
{
    const QString from = message.value(QStringLiteral("from")).toString();
    const QString room = message.value(QStringLiteral("room")).toString();
    // While the user is here the unread badges say enough.
    if (!m_live || from == m_session->user() || isActiveWindow())
        return;
    const int row = m_rooms->rowOf(room);
    const bool direct = row >= 0 && m_rooms->index(row).data(RoomListModel::IsDirectRole).toBool();
    const QString text = message.value(QStringLiteral("text")).toString();
    // The room's choice (all, mentions, nothing; muted), and busy means do not disturb.
    if (!m_preferences->notificationsEnabled()
        || !RoomNotifications(m_settings)
                .shouldNotify(room, direct, mentions(text, m_session->user()), m_session->presence()))
        return;
    const QString title
        = direct ? from : tr("%1 in %2").arg(from, m_rooms->index(row).data(RoomListModel::TitleRole).toString());
    m_tray->notify(title, m_preferences->notificationPreviews() ? text.left(200) : tr("New message"));
    QApplication::alert(this);
}

void MainWindow::applySpelling()
{
    const bool ready = m_preferences->isSpellCheckEnabled() && m_spell->setLanguage(m_preferences->spellLanguage());
    m_conversation->composer()->setSpellChecker(ready ? m_spell : nullptr);
}

void MainWindow::applyAwayAfter()
{
    // --away-after (scripts, tests) wins over the Settings.
    m_idle->setIdleAfterMs(m_options.awayAfterMs >= 0 ? m_options.awayAfterMs
                                                      : m_preferences->awayAfterMinutes() * 60 * 1000);
}

SettingsDialog *MainWindow::openSettings()
{
    if (!m_settingsDialog) {
        m_settingsDialog = new SettingsDialog(m_session, m_preferences, m_options.autostartArguments, this);
        m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_settingsDialog, &SettingsDialog::signOutRequested, this, &MainWindow::signOutRequested);
    }
    m_settingsDialog->show();
    m_settingsDialog->raise();
    m_settingsDialog->activateWindow();
    return m_settingsDialog;
}

void MainWindow::updateTitle()
{
    const int unread = m_rooms->unreadTotal();
    const int row = m_rooms->rowOf(currentRoom());
    QString title = row >= 0 ? tr("%1 — Confab").arg(m_rooms->index(row).data(RoomListModel::TitleRole).toString())
                             : tr("Confab");
    if (unread > 0)
        title.prepend(QStringLiteral("(%1) ").arg(unread));
    setWindowTitle(title);
}

void MainWindow::showMessage(const QString &text)
{
    statusBar()->showMessage(text, 10000);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_splitterRestored)
        return;
    // First start: side panels sized to the window (once its size has settled: the window
    // manager or -geometry may resize it right after showing), so a narrow one has room to talk.
    m_splitterRestored = true;
    QTimer::singleShot(0, this, [this] {
        const int rooms = std::clamp(width() * 22 / 100, 170, 260);
        const int members = std::clamp(width() * 18 / 100, 150, 220);
        m_splitter->setSizes({ rooms, std::max(200, width() - rooms - members), members, 0 });
    });
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange) {
        // In the background even the open room collects unread messages (badge, tray).
        m_rooms->setCurrentRoom(isActiveWindow() ? currentRoom() : QString());
        if (isActiveWindow())
            m_conversation->windowActivated();
        updateTitle();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    closeSearch(); // the splitter is saved with the members in their place
    saveSettings();
    m_conversation->composer()->stopTyping();
    if (!m_quitting && m_tray->isAvailable()
        && m_settings->value(QStringLiteral("window/closeToTray"), true).toBool()) {
        hide();
        if (!m_settings->value(QStringLiteral("window/trayHintShown")).toBool()) {
            m_tray->notify(tr("Confab is still running"), tr("New messages will show here. Quit from the tray menu."));
            m_settings->setValue(QStringLiteral("window/trayHintShown"), true);
        }
        event->ignore();
        return;
    }
    event->accept();
    Q_EMIT quitRequested();
}

void MainWindow::quit()
{
    m_quitting = true;
    close();
}

void MainWindow::restoreSettings()
{
    m_settings->beginGroup(QStringLiteral("window"));
    if (!restoreGeometry(m_settings->value(QStringLiteral("geometry")).toByteArray()))
        resize(1100, 720);
    restoreState(m_settings->value(QStringLiteral("state")).toByteArray());
    m_splitterRestored = m_splitter->restoreState(m_settings->value(QStringLiteral("splitter")).toByteArray());
    m_search->hide(); // the search starts closed, whatever the splitter remembered
    m_memberPanel->show();
    m_settings->endGroup();
    QHash<QString, QString> drafts;
    const QVariantMap saved = m_settings->value(QStringLiteral("drafts/") + m_session->user()).toMap();
    for (auto it = saved.begin(); it != saved.end(); ++it)
        drafts.insert(it.key(), it.value().toString());
    m_conversation->setDrafts(drafts);
    const QString room = m_settings->value(QStringLiteral("rooms/current/") + m_session->user()).toString();
    if (m_rooms->rowOf(room) >= 0)
        selectRoom(room);
    else if (m_rooms->rowCount() > 0)
        selectRoom(m_rooms->index(0).data(RoomListModel::NameRole).toString());
}

void MainWindow::saveSettings()
{
    m_settings->beginGroup(QStringLiteral("window"));
    m_settings->setValue(QStringLiteral("geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("state"), saveState());
    m_settings->setValue(QStringLiteral("splitter"), m_splitter->saveState());
    m_settings->endGroup();
    QVariantMap drafts;
    const auto current = m_conversation->drafts();
    for (auto it = current.begin(); it != current.end(); ++it)
        drafts.insert(it.key(), it.value());
    m_settings->setValue(QStringLiteral("drafts/") + m_session->user(), drafts);
    m_settings->setValue(QStringLiteral("rooms/current/") + m_session->user(), currentRoom());
    m_settings->sync();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_conversation->room().isEmpty() && !localFilesOf(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = localFilesOf(event->mimeData());
    if (m_conversation->room().isEmpty() || files.isEmpty())
        return;
    event->acceptProposedAction();
    m_conversation->attachFiles(files);
}

} // namespace Confab::Desktop
