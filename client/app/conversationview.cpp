#include "conversationview.h"

#include "attachmenttray.h"
#include "chatsession.h"
#include "composer.h"
#include "messagedelegate.h"
#include "messagelistview.h"
#include "messagemodel.h"
#include "typingtracker.h"
#include "uploadspanel.h"

#include <QDesktopServices>
#include <QEvent>
#include <QLabel>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::MessageModel;

QListView *ConversationView::messageList() const
{
    return m_list;
}

void ConversationView::setRoom(const QString &room, const QString &title)
{
    if (room == m_room && m_messages)
        return;
    m_composer->stopTyping();
    cancelComposerAction(); // an edit gives the draft back first
    m_showSeq = 0;
    if (!m_room.isEmpty())
        m_drafts.insert(m_room, m_composer->toPlainText());
    switchAttachments(m_room, room);
    m_uploads->setRoom(room);
    m_room = room;
    const bool hasRoom = !room.isEmpty();
    m_title->setText(title);
    m_title->setVisible(hasRoom);
    m_topic->hide();
    m_list->setVisible(hasRoom);
    m_composer->setVisible(hasRoom);
    m_attach->setVisible(hasRoom);
    m_typingLabel->setVisible(hasRoom);
    m_notice->hide();
    m_emptyLabel->setVisible(!hasRoom);
    m_list->clearTextSelection();
    delete m_messages;
    if (!hasRoom)
        return;
    m_stickToBottom = true;
    m_newWhileAway = 0;
    m_dividerSeen = false;
    m_messages = new MessageModel(m_session, room, this);
    m_list->setModel(m_messages);
    connectModel();
    m_composer->setPlaceholderText(tr("Message %1").arg(title));
    m_composer->setPlainText(m_drafts.value(room));
    m_composer->moveCursor(QTextCursor::End);
    QTimer::singleShot(0, m_list, &QListView::scrollToBottom);
    QTimer::singleShot(0, this, &ConversationView::markReadIfSeen);
    showTyping();
    updateOverlays();
}

void ConversationView::setTopic(const QString &topic)
{
    m_topic->setText(topic);
    m_topic->setVisible(!topic.isEmpty() && !m_room.isEmpty());
}

void ConversationView::connectModel()
{
    MessageModel *model = m_messages;
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex &, int first, int last) { keepAnchorWhileInserting(first, last); });
    // An edited or deleted message can change height: the list lays that row out again.
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &, const QList<int> &roles) {
                if (roles.contains(MessageModel::TextRole))
                    Q_EMIT m_delegate->sizeHintChanged(first);
            });
    auto restoreAnchor = [this] {
        if (!m_anchor.isValid())
            return;
        m_list->doItemsLayout(); // positions now, so the anchor's new place is known
        QScrollBar *bar = m_list->verticalScrollBar();
        bar->setValue(bar->value() + m_list->visualRect(m_anchor).top() - m_anchorTop);
        m_anchor = QPersistentModelIndex();
    };
    connect(model, &QAbstractItemModel::rowsRemoved, this, restoreAnchor);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this, restoreAnchor](const QModelIndex &, int, int last) {
        restoreAnchor();
        const bool pending = m_messages->index(last).data(MessageModel::StateRole).value<MessageModel::State>()
            == MessageModel::State::Pending;
        if (pending && last == m_messages->rowCount() - 1)
            jumpToLatest();     // what the user just wrote is always shown
        scheduleAdjustWindow(); // then fill the view, trim, mark read: never inside a model signal
    });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_showSeq > 0)
            scrollToShownMessage(); // the page showMessage asked for
        else if (m_stickToBottom)
            QTimer::singleShot(0, m_list, &QListView::scrollToBottom);
        scheduleAdjustWindow();
    });
    connect(model, &MessageModel::newerArrived, this, [this] {
        ++m_newWhileAway;
        m_overlayTimer.start();
    });
    // Only live messages from others count as new, not pages loaded on the way down.
    connect(model, &MessageModel::arrived, this, [this](int fromOthers) {
        if (!m_stickToBottom && fromOthers > 0) {
            m_newWhileAway += fromOthers;
            m_overlayTimer.start();
        }
        // Seen as it arrives when the view follows the newest: also when the list is too
        // short to scroll (no scrolling would say so).
        QTimer::singleShot(0, this, &ConversationView::markReadIfSeen);
    });
    connect(model, &MessageModel::loadingChanged, this, &ConversationView::updateOverlays);
    connect(model, &QAbstractItemModel::rowsInserted, &m_overlayTimer, qOverload<>(&QTimer::start));
}

// Rows inserted or removed above what the user is reading must not move it on screen.
void ConversationView::keepAnchorWhileInserting(int first, int last)
{
    Q_UNUSED(last);
    if (m_stickToBottom || m_messages->rowCount() == 0)
        return;
    const QModelIndex top = m_list->indexAt(QPoint(4, 1));
    if (!top.isValid() || first > top.row())
        return;
    // When the top row itself goes, hold on to the first one that stays.
    const QModelIndex anchor = top.row() <= last && top.row() >= first ? m_messages->index(last + 1) : top;
    if (!anchor.isValid())
        return;
    m_anchor = anchor;
    m_anchorTop = m_list->visualRect(anchor).top();
}

void ConversationView::scheduleAdjustWindow()
{
    if (m_adjustQueued)
        return;
    m_adjustQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_adjustQueued = false;
            adjustWindow();
        },
        Qt::QueuedConnection);
}

void ConversationView::handleScroll()
{
    if (!m_messages)
        return;
    m_stickToBottom = isAtBottom() && !m_messages->hasNewer();
    if (m_stickToBottom)
        m_newWhileAway = 0;
    scheduleAdjustWindow();
    markReadIfSeen();
    m_overlayTimer.start();
}

// Loads and trims the window around what the user is looking at. Queued, never run from
// inside a model's or the scroll bar's signal: a page inserted while another insertion is
// being handled threw the view far down the room.
void ConversationView::adjustWindow()
{
    // Hidden (in the tray, minimised) there is no viewport to fill and nothing to read.
    if (!m_messages || !m_list->isVisible())
        return;
    const QScrollBar *bar = m_list->verticalScrollBar();
    const int page = m_list->viewport()->height();
    const int rows = m_messages->rowCount();
    // The window stays bounded: trim the end the user is away from. Following the newest
    // message, in steps, so that not every new message also removes a row (a second layout).
    if (m_stickToBottom && rows > MessageModel::WindowRows + MessageModel::WindowRows / 4) {
        m_messages->trimOldest(MessageModel::WindowRows);
    } else if (!m_stickToBottom && rows > 2 * MessageModel::WindowRows) {
        const QModelIndex top = m_list->indexAt(QPoint(4, 1));
        if (top.isValid() && top.row() < rows / 2) {
            m_messages->trimNewest(2 * MessageModel::WindowRows); // below the view: nothing moves
        } else {
            // Rows go above what is being read: keep it in place (the anchor is taken here, as
            // the view forgets its layout when it is told rows will go).
            keepAnchorWhileInserting(0, m_messages->storedCount() - 2 * MessageModel::WindowRows - 1);
            m_messages->trimOldest(2 * MessageModel::WindowRows);
        }
    }
    // Older pages when the user nears the top, or while the window does not fill the view.
    if (!m_messages->isAtBeginning() && (bar->maximum() == 0 || (bar->value() < page && !m_stickToBottom)))
        m_messages->loadOlder();
    if (bar->maximum() - bar->value() < page && m_messages->hasNewer())
        m_messages->loadNewer();
}

void ConversationView::jumpToLatest()
{
    m_newWhileAway = 0;
    m_stickToBottom = true;
    if (m_messages && m_messages->hasNewer())
        m_messages->showLatest();
    else
        m_list->scrollToBottom();
    updateOverlays();
}

void ConversationView::jumpToFirstUnread()
{
    if (!m_messages || m_messages->firstUnreadSeq() == 0)
        return;
    const qint64 seq = m_messages->firstUnreadSeq();
    m_stickToBottom = false;
    if (m_messages->rowOfSeq(seq) < 0) {
        m_messages->showFrom(seq);
        // The page may come from the server: scroll once it is there.
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(m_messages, &QAbstractItemModel::modelReset, this, [this, seq, connection] {
            disconnect(*connection);
            m_list->doItemsLayout();
            m_list->scrollTo(m_messages->index(std::max(0, m_messages->rowOfSeq(seq))),
                             QAbstractItemView::PositionAtTop);
        });
        return;
    }
    m_list->scrollTo(m_messages->index(m_messages->rowOfSeq(seq)), QAbstractItemView::PositionAtTop);
    updateOverlays();
}

void ConversationView::updateOverlays()
{
    const bool loading = m_messages && m_messages->isLoadingOlder();
    m_loading->setVisible(loading);
    const bool away = m_messages && (!isAtBottom() || m_messages->hasNewer()) && m_messages->rowCount() > 0;
    m_jumpLatest->setText(m_newWhileAway > 0 ? tr("Jump to latest (%n new)", nullptr, m_newWhileAway)
                                             : tr("Jump to latest"));
    m_jumpLatest->setVisible(away);
    // "Jump to first unread" while the divider is above and has not been on screen yet:
    // once read past, it leads nowhere new.
    bool unreadAbove = false;
    if (m_messages && m_messages->firstUnreadSeq() > 0 && !m_dividerSeen) {
        const int row = m_messages->rowOfSeq(m_messages->firstUnreadSeq());
        const QModelIndex top = m_list->indexAt(QPoint(4, 1));
        if (row >= 0 && m_list->viewport()->rect().intersects(m_list->visualRect(m_messages->index(row))))
            m_dividerSeen = true;
        else
            unreadAbove
                = row < 0 ? m_messages->firstUnreadSeq() < m_messages->firstSeq() : (top.isValid() && row < top.row());
    }
    m_jumpUnread->setVisible(unreadAbove);
    placeOverlays();
}

void ConversationView::placeOverlays()
{
    const QRect area = m_list->viewport()->geometry();
    m_loading->setGeometry(area.left(), area.top(), area.width(), m_loading->sizeHint().height() + 8);
    const QSize latest = m_jumpLatest->sizeHint();
    m_jumpLatest->setGeometry(area.right() - latest.width() - 16, area.bottom() - latest.height() - 12, latest.width(),
                              latest.height());
    const QSize unread = m_jumpUnread->sizeHint();
    m_jumpUnread->setGeometry(area.center().x() - unread.width() / 2,
                              area.top() + 8 + (m_loading->isVisible() ? m_loading->height() : 0), unread.width(),
                              unread.height());
    m_jumpLatest->raise();
    m_jumpUnread->raise();
    m_loading->raise();
}

bool ConversationView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        QTimer::singleShot(0, this, &ConversationView::updateOverlays);
    return QWidget::eventFilter(watched, event);
}

void ConversationView::submit(const QString &text)
{
    if (m_room.isEmpty())
        return;
    if (m_action.kind == ComposerAction::Kind::Edit)
        return saveEdit(text);
    QString error;
    const bool reply = m_action.kind == ComposerAction::Kind::Reply;
    const QStringList files = m_tray->files();
    if (m_session->sendMessage(m_room, text, &error, reply ? m_action.id.toLatin1() : QByteArray(),
                               takeAttachments())) {
        if (reply)
            cancelComposerAction();
        return;
    }
    // Not even in the outbox (a full disk): nothing the user typed is lost.
    m_tray->setFiles(files);
    m_composer->setPlainText(text);
    m_composer->moveCursor(QTextCursor::End);
    showNotice(
        tr("Could not keep the message to send it (%1). It is still here; try again when there is room on the disk.")
            .arg(error.isEmpty() ? tr("the local store refused it") : error));
}

void ConversationView::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString ConversationView::noticeText() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

QString ConversationView::messageLink(qint64 seq) const
{
    QUrl url;
    url.setScheme(QStringLiteral("confab"));
    url.setHost(m_session->serverUrl().host());
    url.setPort(m_session->serverUrl().port());
    url.setPath(QStringLiteral("/%1/%2").arg(m_room).arg(seq));
    return url.toString();
}

void ConversationView::openLink(const QString &link)
{
    const QUrl url(link);
    if (url.scheme() != QLatin1String("confab")) {
        QDesktopServices::openUrl(url);
        return;
    }
    const QStringList parts = url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() == 2)
        Q_EMIT messageLinkActivated(parts.at(0), parts.at(1).toLongLong());
}

QHash<QString, QString> ConversationView::drafts()
{
    // While editing, the composer holds the message, not the draft.
    if (!m_room.isEmpty())
        m_drafts.insert(m_room,
                        m_action.kind == ComposerAction::Kind::Edit ? m_action.draft : m_composer->toPlainText());
    m_drafts.removeIf([](const auto &entry) { return entry.value().trimmed().isEmpty(); });
    return m_drafts;
}

void ConversationView::windowActivated()
{
    // Back from elsewhere: what arrived meanwhile gets the "New messages" line, before
    // being marked read.
    if (m_messages && m_messages->moveFirstUnread(m_session->readSeq(m_room)))
        m_dividerSeen = false;
    markReadIfSeen();
    m_overlayTimer.start();
}

bool ConversationView::isAtBottom() const
{
    const QScrollBar *bar = m_list->verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void ConversationView::markReadIfSeen()
{
    if (!m_messages || !isAtBottom() || m_messages->hasNewer() || !isVisible() || !window()->isActiveWindow())
        return;
    if (const qint64 seq = m_messages->lastSeq(); seq > 0)
        m_session->markRead(m_room, seq);
}

QString ConversationView::typingText() const
{
    return m_typingLabel->text();
}

void ConversationView::showTyping()
{
    const QStringList users = m_typing->typingIn(m_room);
    QString text;
    if (users.size() == 1)
        text = tr("%1 is typing…").arg(users.at(0));
    else if (users.size() == 2)
        text = tr("%1 and %2 are typing…").arg(users.at(0), users.at(1));
    else if (users.size() > 2)
        text = tr("Several people are typing…");
    m_typingLabel->setText(text);
}

} // namespace Confab::Desktop
