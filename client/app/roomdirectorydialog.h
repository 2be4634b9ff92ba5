// Browse and search the server's public rooms (room:directory) and join one; a room's
// name typed in full joins it directly (a private room one was invited to, say).
#pragma once

#include "chat/roomrequests.h"

#include <QDialog>
#include <QTimer>

#include <functional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class RoomDirectoryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RoomDirectoryDialog(Client::ChatSession *session, QWidget *parent = nullptr);

    // The room the Join button would join ("" when none).
    QString selectedRoom() const;
    // Rooms the user is in already are marked "joined", and the button opens them.
    void setJoinedCheck(std::function<bool(const QString &room)> isJoined) { m_isJoined = std::move(isJoined); }

Q_SIGNALS:
    void joinRequested(const QString &room);

private:
    void search();
    void showRooms(const QString &query, const QList<Chat::DirectoryEntry> &rooms);
    void join();
    void updateJoinButton();

    Client::ChatSession *m_session;
    QLineEdit *m_query;
    QListWidget *m_rooms;
    QLabel *m_status;
    QPushButton *m_join;
    QTimer m_debounce;
    int m_asked = 0; // answers to earlier searches are dropped
    std::function<bool(const QString &)> m_isJoined;
};

// "active 5 min ago", "active yesterday at 14:02"; "" for 0.
QString activityText(qint64 lastActivityMs);

} // namespace Confab::Desktop
