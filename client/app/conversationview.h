// One room's conversation: its title and topic, the messages, who is typing, and the
// composer. Keeps a draft per room, sticks to the newest message while the user is at the
// bottom (also when the window or the banner above changes its height), loads older
// messages when the user scrolls to the top (keeping the scroll position), offers "Jump
// to latest (N new)" while scrolled up and "Jump to first unread" while the "New
// messages" divider is out of sight, and tells the server what the user has read.
// Replies, reactions, edits and deletes: conversationviewactions.cpp. Attaching files
// (the paper clip, a drop, a pasted picture): conversationviewattach.cpp; opening them
// (chips, the image viewer): conversationviewfiles.cpp.
#pragma once

#include "attachmentchips.h"
#include "messagemodel.h"

#include <QHash>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QImage;
class QLabel;
class QListView;
class QToolButton;

namespace Confab::Chat {
struct Error;
}

namespace Confab::Client {
class ChatSession;
class TypingTracker;
struct OutboxAttachment;
struct OutboxEntry;
}

namespace Confab::Desktop {

class AttachmentTray;
class Composer;
class ComposerBanner;
class ImageCache;
class MessageDelegate;
class MessageListView;
class UploadsPanel;

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
    QListView *messageList() const;
    MessageDelegate *delegate() const { return m_delegate; }
    Composer *composer() const { return m_composer; }
    QString typingText() const;
    // A line above the composer for what went wrong with the last thing the user did.
    QString noticeText() const;

    // Drafts survive restarts: the window saves and restores them.
    QHash<QString, QString> drafts();
    void setDrafts(const QHash<QString, QString> &drafts) { m_drafts = drafts; }
    // Sends a read receipt when the newest message is on screen and the window is active.
    void markReadIfSeen();
    // The window became active again: the divider moves to what arrived while away.
    void windowActivated();

    bool isAtBottom() const;
    void jumpToLatest();
    void jumpToFirstUnread();
    QToolButton *jumpToLatestButton() const { return m_jumpLatest; }
    QToolButton *jumpToUnreadButton() const { return m_jumpUnread; }
    QLabel *loadingLabel() const { return m_loading; }

    // Scrolls the message into the middle of the view, loading its page first when it is
    // not in the window, and flashes it: where a quote, a search result or a link leads.
    void showMessage(qint64 seq);
    // Above the composer while a reply or an edit is in progress.
    ComposerBanner *composerBanner() const { return m_banner; }

    // Whether a file the user opens is handed to the desktop's program for it (tests turn
    // it off), and who picks where Save As… goes (a file dialog unless set).
    void setOpensFiles(bool opens) { m_opensFiles = opens; }
    void setSaveAsChooser(std::function<QString(const QString &name)> choose) { m_saveAs = std::move(choose); }

    // Files for the next message: shown above the composer until it is sent.
    void attachFiles(const QStringList &paths);
    // A pasted picture, kept as a PNG beside the local store, then attached.
    bool attachImage(const QImage &image);
    // The paper clip: a file dialog unless a chooser is set (tests).
    void chooseFiles();
    void setFileChooser(std::function<QStringList()> choose) { m_chooseFiles = std::move(choose); }
    QToolButton *attachButton() const { return m_attach; }
    AttachmentTray *attachmentTray() const { return m_tray; }
    UploadsPanel *uploadsPanel() const { return m_uploads; }
    ImageCache *imageCache() const { return m_images; }

Q_SIGNALS:
    // A confab:// message link was clicked.
    void messageLinkActivated(const QString &room, qint64 seq);
    // A file the user opened or saved is on disk at path.
    void fileReady(const QString &path);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void setUpHeader();
    void setUpList();
    void setUpOverlays();
    void setUpFooter();
    void layOut();
    void connectModel();
    void submit(const QString &text);
    void showTyping();
    void showNotice(const QString &text);
    void openLink(const QString &url);
    QString messageLink(qint64 seq) const;
    void handleScroll();
    void adjustWindow();
    void scheduleAdjustWindow();
    // Rows [first, last] are about to be inserted or removed above what the user reads.
    void keepAnchorWhileInserting(int first, int last);
    void updateOverlays();
    void placeOverlays();
    // conversationviewfiles.cpp
    void setUpFiles();
    void openFile(const QVariantMap &file, FileAction action);
    void showImage(const QVariantMap &file);
    // conversationviewattach.cpp
    void setUpAttachments();
    // The room's files picked but not sent go with its draft when the room changes.
    void switchAttachments(const QString &from, const QString &to);
    QList<Client::OutboxAttachment> takeAttachments();
    // Pasted pictures and thumbnails no message needs any more are deleted.
    void sweepOutgoing();
    // conversationviewactions.cpp
    void setUpActions();
    void startReply(const QModelIndex &index);
    void startEdit(const QModelIndex &index);
    void editNewestOwn();
    // Ends a reply or an edit; after an edit the draft from before comes back.
    void cancelComposerAction();
    void saveEdit(const QString &text);
    void confirmDelete(const QModelIndex &index);
    void toggleReaction(const QModelIndex &index, const QString &emoji);
    void showRefusal(const Client::OutboxEntry &entry, const Chat::Error &error);
    void scrollToShownMessage();

    // What the composer does besides writing a new message.
    struct ComposerAction
    {
        enum class Kind { None, Reply, Edit };
        Kind kind = Kind::None;
        QString id;       // the message replied to or edited
        QString original; // edit: its text, so an unchanged one is not sent
        QString draft;    // edit: what the composer held before, put back after
    };

    Client::ChatSession *m_session;
    Client::TypingTracker *m_typing;
    QString m_room;
    QPointer<Client::MessageModel> m_messages;
    QHash<QString, QString> m_drafts;
    QLabel *m_title;
    QLabel *m_topic;
    MessageDelegate *m_delegate;
    MessageListView *m_list;
    QLabel *m_loading;
    QToolButton *m_jumpLatest;
    QToolButton *m_jumpUnread;
    QLabel *m_typingLabel;
    QLabel *m_notice;
    Composer *m_composer;
    ComposerBanner *m_banner;
    ComposerAction m_action;
    qint64 m_showSeq = 0; // a message to show once its page has come
    bool m_opensFiles = true;
    std::function<QString(const QString &name)> m_saveAs;
    std::function<QStringList()> m_chooseFiles;
    QLabel *m_emptyLabel;
    QToolButton *m_attach;
    AttachmentTray *m_tray;
    UploadsPanel *m_uploads;
    ImageCache *m_images;
    QHash<QString, QStringList> m_roomFiles; // picked for rooms not shown now
    bool m_stickToBottom = true;             // the user is at the newest message: keep them there
    int m_newWhileAway = 0;                  // others' messages that arrived while scrolled up
    // Prepending older rows keeps this row where it was on screen.
    QPersistentModelIndex m_anchor;
    int m_anchorTop = 0;
    QTimer m_overlayTimer;       // the buttons follow once the list has laid out and scrolled
    bool m_adjustQueued = false; // loads and trims run after the event that asked for them
    bool m_dividerSeen = false;  // the "New messages" line has been on screen
};

} // namespace Confab::Desktop
