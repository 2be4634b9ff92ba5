#include "searchpanel.h"

#include "chatsession.h"
#include "searchdelegate.h"
#include "searchmodel.h"

#include "chat/fulltext.h"
#include "chat/limits.h"

#include <QApplication>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

using Client::ChatSession;

namespace {

QLabel *quietLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setContentsMargins(12, 6, 12, 6);
    return label;
}

bool hasWords(const QString &query)
{
    return !Chat::fullTextQuery(query).isEmpty();
}

} // namespace

SearchPanel::SearchPanel(ChatSession *session, RoomTitle roomTitle, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_roomTitle(std::move(roomTitle))
    , m_title(new QLabel(tr("Search"), this))
    , m_close(new QToolButton(this))
    , m_field(new QLineEdit(this))
    , m_roomScope(new QToolButton(this))
    , m_everywhereScope(new QToolButton(this))
    , m_status(quietLabel(this))
    , m_list(new QListView(this))
    , m_model(new SearchModel(this))
    , m_delegate(new SearchDelegate(this))
    , m_localNote(quietLabel(this))
{
    setObjectName(QStringLiteral("searchPanel"));
    m_model->setRoomTitle(m_roomTitle);

    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_close->setObjectName(QStringLiteral("closeSearchButton"));
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close the search (Esc)"));
    m_close->setAccessibleName(tr("Close the search"));
    connect(m_close, &QToolButton::clicked, this, &SearchPanel::closeRequested);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(12, 8, 6, 4);
    header->addWidget(m_title, 1);
    header->addWidget(m_close);

    m_field->setObjectName(QStringLiteral("searchField"));
    m_field->setClearButtonEnabled(true);
    m_field->setMaxLength(Chat::MaxSearchQueryLength);
    m_field->setAccessibleName(tr("Search messages"));
    const QIcon find = QIcon::fromTheme(QStringLiteral("edit-find"));
    if (!find.isNull())
        m_field->addAction(find, QLineEdit::LeadingPosition);
    m_field->installEventFilter(this);
    connect(m_field, &QLineEdit::textChanged, this, &SearchPanel::queryEdited);
    auto *fieldRow = new QHBoxLayout;
    fieldRow->setContentsMargins(10, 0, 10, 4);
    fieldRow->addWidget(m_field);

    auto *scopes = new QButtonGroup(this);
    for (QToolButton *button : { m_roomScope, m_everywhereScope }) {
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        scopes->addButton(button);
    }
    m_roomScope->setObjectName(QStringLiteral("searchRoomScope"));
    m_roomScope->setToolTip(tr("Search this room (Ctrl+F)"));
    m_everywhereScope->setObjectName(QStringLiteral("searchEverywhereScope"));
    m_everywhereScope->setText(tr("All rooms"));
    m_everywhereScope->setToolTip(tr("Search every room (Ctrl+Shift+F)"));
    connect(m_roomScope, &QToolButton::clicked, this, [this] { setScope(Scope::Room); });
    connect(m_everywhereScope, &QToolButton::clicked, this, [this] { setScope(Scope::Everywhere); });
    auto *scopeRow = new QHBoxLayout;
    scopeRow->setContentsMargins(8, 0, 8, 2);
    scopeRow->setSpacing(2);
    scopeRow->addWidget(new QLabel(tr("In:"), this));
    scopeRow->addWidget(m_roomScope);
    scopeRow->addWidget(m_everywhereScope);
    scopeRow->addStretch(1);

    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setAlignment(Qt::AlignHCenter | Qt::AlignTop);

    m_list->setObjectName(QStringLiteral("searchResults"));
    m_list->setAccessibleName(tr("Search results"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(m_delegate);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setResizeMode(QListView::Adjust); // the rows wrap their text to the width
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setMouseTracking(true);
    m_list->installEventFilter(this);
    connect(m_list, &QListView::clicked, this, &SearchPanel::choose);

    m_localNote->setObjectName(QStringLiteral("searchLocalNote"));
    m_localNote->setText(tr("Results from this device only"));
    m_localNote->setToolTip(tr("The server did not search: these are the messages this device has kept."));
    QFont small = m_localNote->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_localNote->setFont(small);
    m_localNote->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addLayout(fieldRow);
    layout->addLayout(scopeRow);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_localNote);
    setMinimumWidth(220);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SearchPanel::search);
    // What was found may be edited or deleted while listed.
    connect(m_session, &ChatSession::messageUpdated, m_model, &SearchModel::updateMessage);
    updateScopeButtons();
    queryEdited();
}

void SearchPanel::open(Scope scope, const QString &room)
{
    m_room = room;
    setScope(room.isEmpty() ? Scope::Everywhere : scope);
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void SearchPanel::setRoom(const QString &room)
{
    if (room == m_room)
        return;
    m_room = room;
    if (m_scope == Scope::Room && room.isEmpty())
        m_scope = Scope::Everywhere;
    updateScopeButtons();
    if (m_scope == Scope::Room && isVisible())
        setScope(Scope::Room); // the same words in the new room, at once
}

void SearchPanel::setScope(Scope scope)
{
    m_scope = scope;
    updateScopeButtons();
    queryEdited();
    if (hasWords(m_field->text())) {
        m_debounce.stop();
        search(); // nothing typed: no need to wait
    }
}

void SearchPanel::updateScopeButtons()
{
    const QString title = m_room.isEmpty() ? QString() : m_roomTitle(m_room);
    m_roomScope->setText(title.isEmpty() ? tr("This room") : title);
    m_roomScope->setEnabled(!m_room.isEmpty());
    m_roomScope->setChecked(m_scope == Scope::Room);
    m_everywhereScope->setChecked(m_scope == Scope::Everywhere);
    m_field->setPlaceholderText(m_scope == Scope::Room ? tr("Search %1").arg(title) : tr("Search all rooms"));
    m_delegate->setShowRooms(m_scope == Scope::Everywhere);
    m_list->viewport()->update();
}

QString SearchPanel::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

bool SearchPanel::isLocalOnly() const
{
    return !m_localNote->isHidden();
}

void SearchPanel::showStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void SearchPanel::queryEdited()
{
    ++m_generation; // whatever is on its way answers an older query
    if (hasWords(m_field->text())) {
        m_debounce.start();
        showStatus(tr("Searching…"));
        return;
    }
    m_debounce.stop();
    m_model->clear();
    m_localNote->hide();
    showStatus(m_scope == Scope::Room && !m_room.isEmpty()
                   ? tr("Find messages in %1 by their words.").arg(m_roomTitle(m_room))
                   : tr("Find messages in all your rooms by their words."));
}

void SearchPanel::search()
{
    const QString query = m_field->text().trimmed();
    if (!hasWords(query))
        return;
    const quint64 generation = ++m_generation;
    Chat::SearchRequest request;
    request.query = query;
    request.room = m_scope == Scope::Room ? m_room : QString();
    request.limit = Chat::MaxSearchLimit;
    showStatus(tr("Searching…"));
    Q_EMIT searchStarted(query);
    QPointer<SearchPanel> self(this);
    m_session->searchMessages(request, [self, generation, query](const ChatSession::SearchResults &results) {
        if (!self || generation != self->m_generation)
            return; // the user typed on, or the scope changed
        self->m_model->setResults(query, results.messages);
        if (self->m_model->rowCount() > 0) {
            self->m_list->setCurrentIndex(self->m_model->index(0));
            self->m_list->scrollToTop();
        }
        self->showStatus(results.messages.isEmpty() ? tr("No messages found") : QString());
        self->m_localNote->setVisible(!results.serverAnswered);
        Q_EMIT self->resultsShown(query);
    });
}

void SearchPanel::choose(const QModelIndex &index)
{
    if (index.isValid())
        Q_EMIT messageChosen(index.data(SearchModel::RoomRole).toString(),
                             index.data(SearchModel::SeqRole).toLongLong());
}

bool SearchPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_field && watched != m_list)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        // Esc closes the panel here, before the window's own Esc (back to the composer).
        if (static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            event->accept();
            return true;
        }
    } else if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Escape: Q_EMIT closeRequested(); return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (key->modifiers() & ~Qt::KeypadModifier)
                break;
            choose(m_list->currentIndex().isValid() ? m_list->currentIndex() : m_model->index(0));
            return true;
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            if (watched == m_field) {
                // The field keeps the focus; the keys move through the results.
                QApplication::sendEvent(m_list, event);
                return true;
            }
            break;
        default: break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Confab::Desktop
