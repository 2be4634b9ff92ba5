// One room's conversation: its title, the messages, who is typing, and the composer.
// Keeps a draft per room, sticks to the newest message while the user is at the bottom,
// and tells the server what the user has read.
#pragma once

#include "messagemodel.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QListView;

namespace Confab::Client {
class ChatSession;
class TypingTracker;
}

namespace Confab::Desktop {

class Composer;
class MessageDelegate;

class ConversationView : public QWidget
{
    Q_OBJECT
public:
    ConversationView(Client::ChatSession *session, Client::TypingTracker *typing, QWidget *parent = nullptr);

    QString room() const { return m_room; }
    void setRoom(const QString &room, const QString &title);
    // The room's topic under the title; empty hides it.
    void setTopic(const QString &topic);
    Client::MessageModel *messages() const { return m_messages; }
    QListView *messageList() const { return m_list; }
    Composer *composer() const { return m_composer; }
    QString typingText() const;

    // Drafts survive restarts: the window saves and restores them.
    QHash<QString, QString> drafts();
    void setDrafts(const QHash<QString, QString> &drafts) { m_drafts = drafts; }
    // Sends a read receipt when the newest message is on screen and the window is active.
    void markReadIfSeen();

private:
    void showTyping();
    bool isAtBottom() const;

    Client::ChatSession *m_session;
    Client::TypingTracker *m_typing;
    QString m_room;
    QPointer<Client::MessageModel> m_messages;
    QHash<QString, QString> m_drafts;
    QLabel *m_title;
    QLabel *m_topic = nullptr; // made by the first setTopic
    QListView *m_list;
    MessageDelegate *m_delegate;
    QLabel *m_typingLabel;
    Composer *m_composer;
    QLabel *m_emptyLabel;
    bool m_followBottom = true; // the user was at the newest message when more arrived
};

} // namespace Confab::Desktop
