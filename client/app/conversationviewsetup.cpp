// ConversationView: building the widget — the header, the list with its overlays, the
// typing line, the notice, the reply or edit banner and the composer, and their layout.
#include "conversationview.h"

#include "attachmenttray.h"
#include "chatsession.h"
#include "composer.h"
#include "composerbanner.h"
#include "imagecache.h"
#include "messagedelegate.h"
#include "messagelistview.h"
#include "messagemodel.h"
#include "typingtracker.h"
#include "uploadspanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

namespace {

QToolButton *overlayButton(const QString &name, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAutoRaise(false);
    button->setCursor(Qt::PointingHandCursor);
    button->hide();
    return button;
}

} // namespace

ConversationView::ConversationView(Client::ChatSession *session, Client::TypingTracker *typing, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_typing(typing)
    , m_title(new QLabel(this))
    , m_topic(new QLabel(this))
    , m_delegate(new MessageDelegate(this))
    , m_list(new MessageListView(m_delegate, this))
    , m_loading(new QLabel(tr("Loading earlier messages…"), m_list))
    , m_jumpLatest(overlayButton(QStringLiteral("jumpToLatest"), m_list))
    , m_jumpUnread(overlayButton(QStringLiteral("jumpToUnread"), m_list))
    , m_typingLabel(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_composer(new Composer(this))
    , m_banner(new ComposerBanner(this))
    , m_emptyLabel(new QLabel(tr("Pick a room on the left, or create one with Ctrl+N."), this))
    , m_attach(new QToolButton(this))
    , m_tray(new AttachmentTray(this))
    , m_uploads(new UploadsPanel(session, this))
    , m_images(new ImageCache(session->files(), this))
{
    setObjectName(QStringLiteral("conversation"));
    setUpHeader();
    setUpList();
    setUpOverlays();
    setUpFooter();
    setUpActions();
    setUpFiles();
    setUpAttachments();
    layOut();
    connect(typing, &Client::TypingTracker::typingChanged, this, [this](const QString &room) {
        if (room == m_room)
            showTyping();
    });
    setRoom({}, {});
}

void ConversationView::setUpHeader()
{
    m_title->setObjectName(QStringLiteral("roomTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setContentsMargins(14, 10, 14, 10);
    m_topic->setObjectName(QStringLiteral("roomTopic"));
    m_topic->setWordWrap(true);
    m_topic->setTextFormat(Qt::PlainText);
    m_topic->setForegroundRole(QPalette::PlaceholderText);
    m_topic->setContentsMargins(14, 0, 14, 6);
    m_topic->hide();
}

void ConversationView::setUpList()
{
    m_list->setObjectName(QStringLiteral("messageList"));
    m_list->setResizeMode(QListView::Adjust);
    // Rows are as wide as the viewport: a vertical scroll bar appearing must not add a horizontal one.
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Row heights depend on the width: lay out again when it changes (QListView does so
    // for a top-to-bottom flow only with word wrap on).
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setAccessibleName(tr("Messages"));
    m_list->setTypingTarget(m_composer);
    m_list->setMessageLinkBuilder([this](qint64 seq) { return messageLink(seq); });
    m_list->installEventFilter(this);
    m_delegate->setCurrentUser(m_session->user());
    connect(m_session, &Client::ChatSession::userChanged, this,
            [this] { m_delegate->setCurrentUser(m_session->user()); });
    connect(m_list, &MessageListView::retryRequested, m_session, &Client::ChatSession::retryMessage);
    connect(m_list, &MessageListView::discardRequested, m_session, &Client::ChatSession::discardMessage);
    connect(m_list, &MessageListView::linkActivated, this, &ConversationView::openLink);
    QScrollBar *bar = m_list->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, &ConversationView::handleScroll);
    connect(bar, &QScrollBar::rangeChanged, this, [this](int, int maximum) {
        if (m_stickToBottom)
            m_list->verticalScrollBar()->setValue(maximum);
        m_overlayTimer.start();
    });
    m_overlayTimer.setSingleShot(true);
    m_overlayTimer.setInterval(0);
    connect(&m_overlayTimer, &QTimer::timeout, this, &ConversationView::updateOverlays);
}

// What floats over the list: "Loading earlier messages…" and the two jump buttons.
void ConversationView::setUpOverlays()
{
    m_loading->setObjectName(QStringLiteral("loadingLabel"));
    m_loading->setAlignment(Qt::AlignCenter);
    m_loading->setForegroundRole(QPalette::PlaceholderText);
    m_loading->setAutoFillBackground(true);
    m_loading->hide();
    connect(m_jumpLatest, &QToolButton::clicked, this, &ConversationView::jumpToLatest);
    m_jumpUnread->setText(tr("Jump to first unread"));
    connect(m_jumpUnread, &QToolButton::clicked, this, &ConversationView::jumpToFirstUnread);
}

// Below the list: who is typing, a notice about the last send, the composer.
void ConversationView::setUpFooter()
{
    m_typingLabel->setObjectName(QStringLiteral("typingLabel"));
    m_typingLabel->setContentsMargins(16, 0, 16, 0);
    // Roles rather than fixed colours, so a palette change (dark mode) reaches them.
    m_typingLabel->setForegroundRole(QPalette::PlaceholderText);
    m_typingLabel->setMinimumHeight(m_typingLabel->fontMetrics().height() + 2);
    m_notice->setObjectName(QStringLiteral("composerNotice"));
    m_notice->setWordWrap(true);
    m_notice->setContentsMargins(16, 0, 16, 2);
    m_notice->setStyleSheet(QStringLiteral("color: #d64545"));
    m_notice->hide();
    m_composer->setAccessibleName(tr("Message"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    connect(m_composer, &Composer::submitted, this, &ConversationView::submit);
    connect(m_composer, &QPlainTextEdit::textChanged, m_notice, &QWidget::hide);
    connect(m_composer, &Composer::typingChanged, this, [this](bool active) {
        // Correcting a sent message is not writing a new one.
        if (!m_room.isEmpty() && (!active || m_action.kind != ComposerAction::Kind::Edit))
            m_session->setTyping(m_room, active);
    });
}

void ConversationView::layOut()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 8);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_topic);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_emptyLabel, 1);
    layout->addWidget(m_typingLabel);
    layout->addWidget(m_notice);
    auto *composerBox = new QVBoxLayout;
    composerBox->setContentsMargins(12, 0, 12, 0);
    composerBox->setSpacing(2);
    composerBox->addWidget(m_banner);
    composerBox->addWidget(m_uploads);
    composerBox->addWidget(m_tray);
    auto *composerRow = new QHBoxLayout;
    composerRow->setSpacing(4);
    composerRow->addWidget(m_attach, 0, Qt::AlignBottom);
    composerRow->addWidget(m_composer, 1);
    composerBox->addLayout(composerRow);
    layout->addLayout(composerBox);
}

} // namespace Confab::Desktop
