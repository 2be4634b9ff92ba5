#include "conversationview.h"

#include "chatsession.h"
#include "composer.h"
#include "messagedelegate.h"
#include "messagemodel.h"
#include "typingtracker.h"

#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::MessageModel;

ConversationView::ConversationView(Client::ChatSession *session, Client::TypingTracker *typing, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_typing(typing)
    , m_title(new QLabel(this))
    , m_list(new QListView(this))
    , m_delegate(new MessageDelegate(this))
    , m_typingLabel(new QLabel(this))
    , m_composer(new Composer(this))
    , m_emptyLabel(new QLabel(tr("Pick a room on the left, or create one with Ctrl+N."), this))
{
    setObjectName(QStringLiteral("conversation"));
    m_title->setObjectName(QStringLiteral("roomTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setContentsMargins(14, 10, 14, 10);

    m_list->setObjectName(QStringLiteral("messageList"));
    m_list->setItemDelegate(m_delegate);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // rows fit the viewport; a vertical bar must not add one
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setMouseTracking(true);
    m_list->setFocusPolicy(Qt::NoFocus); // the composer keeps the keyboard
    m_list->setAccessibleName(tr("Messages"));
    m_delegate->setCurrentUser(session->user());
    connect(session, &Client::ChatSession::userChanged, this, [this] { m_delegate->setCurrentUser(m_session->user()); });
    connect(m_delegate, &MessageDelegate::retryRequested, session, &Client::ChatSession::retryMessage);
    connect(m_delegate, &MessageDelegate::discardRequested, session, &Client::ChatSession::discardMessage);
    connect(m_list->verticalScrollBar(), &QScrollBar::valueChanged, this, &ConversationView::markReadIfSeen);

    m_typingLabel->setObjectName(QStringLiteral("typingLabel"));
    m_typingLabel->setContentsMargins(16, 0, 16, 0);
    // Roles rather than fixed colours, so a palette change (dark mode) reaches them.
    m_typingLabel->setForegroundRole(QPalette::PlaceholderText);
    m_typingLabel->setMinimumHeight(m_typingLabel->fontMetrics().height() + 2);
    m_composer->setAccessibleName(tr("Message"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 8);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_emptyLabel, 1);
    layout->addWidget(m_typingLabel);
    auto *composerRow = new QHBoxLayout;
    composerRow->setContentsMargins(12, 0, 12, 0);
    composerRow->addWidget(m_composer);
    layout->addLayout(composerRow);

    connect(m_composer, &Composer::submitted, this, [this](const QString &text) {
        if (!m_room.isEmpty())
            m_session->sendMessage(m_room, text);
    });
    connect(m_composer, &Composer::typingChanged, this, [this](bool active) {
        if (!m_room.isEmpty())
            m_session->setTyping(m_room, active);
    });
    connect(typing, &Client::TypingTracker::typingChanged, this, [this](const QString &room) {
        if (room == m_room)
            showTyping();
    });
    setRoom({}, {});
}

void ConversationView::setRoom(const QString &room, const QString &title)
{
    if (room == m_room && m_messages)
        return;
    m_composer->stopTyping();
    if (!m_room.isEmpty())
        m_drafts.insert(m_room, m_composer->toPlainText());
    m_room = room;
    const bool hasRoom = !room.isEmpty();
    m_title->setText(title);
    m_title->setVisible(hasRoom);
    m_list->setVisible(hasRoom);
    m_composer->setVisible(hasRoom);
    m_typingLabel->setVisible(hasRoom);
    m_emptyLabel->setVisible(!hasRoom);
    delete m_messages;
    if (!hasRoom)
        return;
    m_messages = new MessageModel(m_session, room, this);
    m_list->setModel(m_messages);
    // Follow new messages while the user is at the bottom; leave them be while reading back.
    connect(m_messages, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        m_followBottom = isAtBottom();
    });
    connect(m_messages, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int, int last) {
        const bool own = m_messages->index(last).data(MessageModel::FromRole).toString() == m_session->user();
        if (own || m_followBottom)
            QTimer::singleShot(0, m_list, &QListView::scrollToBottom);
        QTimer::singleShot(0, this, &ConversationView::markReadIfSeen);
    });
    m_composer->setPlaceholderText(tr("Message %1").arg(title));
    m_composer->setPlainText(m_drafts.value(room));
    m_composer->moveCursor(QTextCursor::End);
    QTimer::singleShot(0, m_list, &QListView::scrollToBottom);
    QTimer::singleShot(0, this, &ConversationView::markReadIfSeen);
    showTyping();
}

QHash<QString, QString> ConversationView::drafts()
{
    if (!m_room.isEmpty())
        m_drafts.insert(m_room, m_composer->toPlainText());
    m_drafts.removeIf([](const auto &entry) { return entry.value().trimmed().isEmpty(); });
    return m_drafts;
}

bool ConversationView::isAtBottom() const
{
    const QScrollBar *bar = m_list->verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void ConversationView::markReadIfSeen()
{
    if (!m_messages || !isAtBottom() || !isVisible() || !window()->isActiveWindow())
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

void ConversationView::setTopic(const QString &topic)
{
    if (!m_topic) {
        m_topic = new QLabel(this);
        m_topic->setObjectName(QStringLiteral("roomTopic"));
        m_topic->setWordWrap(true);
        m_topic->setTextFormat(Qt::PlainText);
        m_topic->setForegroundRole(QPalette::PlaceholderText);
        m_topic->setContentsMargins(14, 0, 14, 6);
        auto *box = static_cast<QVBoxLayout *>(layout());
        box->insertWidget(box->indexOf(m_title) + 1, m_topic);
    }
    m_topic->setText(topic);
    m_topic->setVisible(!topic.isEmpty() && !m_room.isEmpty());
}

} // namespace Confab::Desktop
