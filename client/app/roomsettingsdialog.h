// A room's settings: its topic, and its members with their roles. What the buttons
// offer follows the user's role (the server checks again): the owner and moderators
// change the topic, invite to a private room, kick and ban; the owner names moderators.
#pragma once

#include "chat/errors.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace Confab::Client {
class ChatSession;
class MemberModel;
}

namespace Confab::Desktop {

class RoomSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    RoomSettingsDialog(Client::ChatSession *session, Client::MemberModel *members, QWidget *parent = nullptr);

    // Chooses who to invite (a test gives the answer; the default asks with a dialog).
    void setInviteeChooser(std::function<QString()> chooser) { m_chooseInvitee = std::move(chooser); }
    // Confirms a kick or a ban (a test answers; the default asks with a message box).
    void setConfirmer(std::function<void(const QString &question, std::function<void()> yes)> confirm)
    {
        m_confirm = std::move(confirm);
    }

private:
    QString selectedUser() const;
    void selectUser(const QString &user);
    void updatePermissions();
    void saveTopic();
    void invite();
    void setRole(bool moderator);
    void removeSelected(bool ban);
    // The answer to an action: what it did, or why not.
    void report(const std::optional<Chat::Error> &error, const QString &done);

    Client::ChatSession *m_session;
    Client::MemberModel *m_members;
    QLabel *m_visibility;
    QLineEdit *m_topic;
    QPushButton *m_saveTopic;
    QListView *m_list;
    QPushButton *m_invite;
    QPushButton *m_moderator;
    QPushButton *m_kick;
    QPushButton *m_ban;
    QLabel *m_status;
    QString m_keptSelection;
    std::function<QString()> m_chooseInvitee;
    std::function<void(const QString &, std::function<void()>)> m_confirm;
};

} // namespace Confab::Desktop
