// The main window: rooms on the left, the conversation in the middle, the room's members
// on the right, the connection banner on top. Owns the window-level behaviour: room
// switching (Ctrl+K, Alt+Up/Down), creating and joining rooms, direct messages from the
// member list, notifications, the tray, close-to-tray, and what QSettings remembers.
// The side panels are built in mainwindowpanels.cpp, room actions in mainwindowrooms.cpp.
// Search (Ctrl+F, Ctrl+Shift+F) opens a panel at the right, in place of the members.
#pragma once

#include "chat/requests.h"
#include "membermodel.h"
#include "searchpanel.h"

#include <QMainWindow>
#include <QPointer>

class QComboBox;
class QLabel;
class QListView;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;

namespace Confab::Client {
class ChatSession;
class RoomListModel;
class TypingTracker;
}

namespace Confab::Desktop {

class ConnectionBanner;
class ConversationView;
class IdleWatcher;
class Preferences;
class SettingsDialog;
class SpellChecker;
class TrayIcon;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        int awayAfterMs = -1; // -1: as the Settings say (--away-after overrides them)
        bool useTray = true;  // false: no tray icon, closing the window quits
        // What the "start when I log in" entry passes (the profile, when not the default).
        QStringList autostartArguments;
    };

    MainWindow(Client::ChatSession *session, QSettings *settings, const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString currentRoom() const;
    void selectRoom(const QString &room);
    void openDirectMessage(const QString &user);
    // Asks for confirmation, then leaves the room (not a direct-message room).
    void confirmLeaveRoom(const QString &room);
    void leaveRoom(const QString &room);
    // Search in the current room, or in every room: the search panel, its field focused.
    void openSearch(SearchPanel::Scope scope);
    // Closes the search panel (the members come back) and returns to the composer.
    void closeSearch();
    // The message in its conversation: its room opened, then the message scrolled to and
    // flashed (search results, confab:// message links).
    void jumpToMessage(const QString &room, qint64 seq);

    Client::RoomListModel *rooms() const { return m_rooms; }
    Client::MemberModel *members() const { return m_members; }
    ConversationView *conversation() const { return m_conversation; }
    ConnectionBanner *banner() const { return m_banner; }
    TrayIcon *tray() const { return m_tray; }
    SearchPanel *searchPanel() const { return m_search; }
    Preferences *preferences() const { return m_preferences; }
    SpellChecker *spellChecker() const { return m_spell; }
    // Settings (Ctrl+,): opened, or raised when it already is.
    SettingsDialog *openSettings();

    // Really close (Quit), rather than hide to the tray.
    void quit();

Q_SIGNALS:
    void signOutRequested();
    void signInRequested();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    // Files dropped anywhere on the window go to the conversation's next message.
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void showStatus(const QString &status);
    void updateLeaveAction();
    void selectNearRow(int row);
    // mainwindowpanels.cpp
    static QLabel *panelHeader(const QString &text, QWidget *parent);
    QWidget *createRoomPanel();
    QWidget *createMemberPanel();
    void setUpSearch();
    QString roomTitle(const QString &room) const;
    void askForRoom(bool create);
    void createOrJoin(const QString &room, bool create);
    void createRoom(const Chat::CreateRoomRequest &request);
    // The answer to a create or join: the room opens, or the status bar says why not.
    void roomOpened(const QString &room, bool created, const std::optional<Chat::Error> &error);
    void browseRooms();
    void openRoomSettings();
    void stepRoom(int delta);
    void notifyIfWanted(const QJsonObject &message);
    // Preferences: applied at start and whenever the Settings dialog changes them.
    void applySpelling();
    void applyAwayAfter();
    void updateTitle();
    void restoreSettings();
    void saveSettings();
    void showMessage(const QString &text);

    Client::ChatSession *m_session;
    QSettings *m_settings;
    Client::RoomListModel *m_rooms;
    Client::TypingTracker *m_typing;
    QPointer<Client::MemberModel> m_members;
    QSortFilterProxyModel *m_memberOrder;
    ConnectionBanner *m_banner;
    ConversationView *m_conversation;
    QSplitter *m_splitter;
    QListView *m_roomList;
    QListView *m_memberList;
    QLabel *m_memberHeader;
    QComboBox *m_status;
    SearchPanel *m_search;
    QWidget *m_memberPanel = nullptr;
    QAction *m_showMembers = nullptr;
    int m_membersWidth = 200; // while the search panel takes their place
    TrayIcon *m_tray;
    QAction *m_leaveRoom = nullptr;
    QAction *m_roomSettings = nullptr;
    IdleWatcher *m_idle;
    Preferences *m_preferences;
    SpellChecker *m_spell;
    Options m_options;
    QPointer<SettingsDialog> m_settingsDialog;
    bool m_quitting = false;
    bool m_splitterRestored = false;
    bool m_live = false; // messages arriving now are news, not resync
};

} // namespace Confab::Desktop
