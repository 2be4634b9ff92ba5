// ConversationView: what the user does with a message — reply (the banner, then Enter
// sends with replyTo), react, edit in the composer (Esc gives the draft back), delete
// after asking — the refusals the server sends back for them, and showing a message
// (a quote, a search result) wherever it is in the room.
#include "conversationview.h"

#include "chatsession.h"
#include "composer.h"
#include "composerbanner.h"
#include "messagedelegate.h"
#include "messagelistview.h"
#include "messagemodel.h"

#include "chat/errors.h"

#include <QMessageBox>
#include <QPushButton>

namespace Confab::Desktop {

using Client::MessageModel;

namespace {

// Messages shown above one a quote or a search leads to, so it is read in its context.
constexpr qint64 ContextBefore = 10;

} // namespace

void ConversationView::setUpActions()
{
    connect(m_list, &MessageListView::replyRequested, this, &ConversationView::startReply);
    connect(m_list, &MessageListView::editRequested, this, &ConversationView::startEdit);
    connect(m_list, &MessageListView::deleteRequested, this, &ConversationView::confirmDelete);
    connect(m_list, &MessageListView::reactionToggled, this, &ConversationView::toggleReaction);
    connect(m_list, &MessageListView::quoteActivated, this, &ConversationView::showMessage);
    connect(m_banner, &ComposerBanner::cancelRequested, this, &ConversationView::cancelComposerAction);
    connect(m_composer, &Composer::cancelRequested, this, &ConversationView::cancelComposerAction);
    connect(m_composer, &Composer::editLastRequested, this, &ConversationView::editNewestOwn);
    connect(m_session, &Client::ChatSession::changeRefused, this, &ConversationView::showRefusal);
}

void ConversationView::startReply(const QModelIndex &index)
{
    if (!MessageDelegate::hasActions(index))
        return;
    if (m_action.kind == ComposerAction::Kind::Edit)
        cancelComposerAction();
    m_action = { ComposerAction::Kind::Reply, index.data(MessageModel::IdRole).toString(), {}, {} };
    m_banner->showReply(index.data(MessageModel::FromRole).toString(), index.data(MessageModel::TextRole).toString());
    m_composer->setEscapeCancels(true);
    m_composer->setFocus(Qt::OtherFocusReason);
}

void ConversationView::startEdit(const QModelIndex &index)
{
    if (!MessageDelegate::hasActions(index) || index.data(MessageModel::FromRole).toString() != m_session->user())
        return;
    const QString id = index.data(MessageModel::IdRole).toString();
    const QString text = index.data(MessageModel::TextRole).toString();
    // From one edit to another the draft from before the first is the one to give back.
    const QString draft = m_action.kind == ComposerAction::Kind::Edit ? m_action.draft : m_composer->toPlainText();
    m_action = { ComposerAction::Kind::Edit, id, text, draft };
    m_banner->showEdit(text);
    m_composer->setText(text);
    m_composer->setEscapeCancels(true);
    m_composer->setFocus(Qt::OtherFocusReason);
}

// Up in the empty composer: the user's newest message in the room that can still be edited.
void ConversationView::editNewestOwn()
{
    if (!m_messages)
        return;
    for (int row = m_messages->rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = m_messages->index(row);
        if (index.data(MessageModel::FromRole).toString() == m_session->user() && MessageDelegate::hasActions(index)) {
            startEdit(index);
            m_list->scrollTo(index);
            return;
        }
    }
}

void ConversationView::cancelComposerAction()
{
    const ComposerAction action = std::exchange(m_action, {});
    m_banner->hide();
    m_composer->setEscapeCancels(false);
    if (action.kind == ComposerAction::Kind::Edit)
        m_composer->setText(action.draft);
}

void ConversationView::saveEdit(const QString &text)
{
    if (text == m_action.original.trimmed())
        return cancelComposerAction(); // nothing changed: nothing to send
    QString error;
    if (!m_session->editMessage(m_room, m_action.id.toLatin1(), text, &error)) {
        // Not even in the outbox (a full disk): the edit stays in the composer.
        m_composer->setText(text);
        showNotice(tr("Could not keep the edit to send it (%1). It is still here; try again when there is room on "
                      "the disk.")
                       .arg(error.isEmpty() ? tr("the local store refused it") : error));
        return;
    }
    cancelComposerAction();
}

void ConversationView::confirmDelete(const QModelIndex &index)
{
    if (!MessageDelegate::hasActions(index))
        return;
    const QString room = m_room;
    const QString id = index.data(MessageModel::IdRole).toString();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete Message"),
                                tr("Delete this message for everyone in the room? This cannot be undone."),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDeleteButton"));
    box->setDefaultButton(QMessageBox::Cancel); // a stray Enter deletes nothing
    connect(box, &QMessageBox::buttonClicked, this, [this, room, id, remove](QAbstractButton *button) {
        if (button != remove)
            return;
        if (m_action.kind == ComposerAction::Kind::Edit && m_action.id == id && room == m_room)
            cancelComposerAction();
        QString error;
        if (!m_session->deleteMessage(room, id.toLatin1(), &error))
            showNotice(tr("Could not keep the deletion to send it (%1).")
                           .arg(error.isEmpty() ? tr("the local store refused it") : error));
    });
    box->open(); // window-modal, without a nested event loop
}

void ConversationView::toggleReaction(const QModelIndex &index, const QString &emoji)
{
    if (!MessageDelegate::hasActions(index) || emoji.isEmpty())
        return;
    bool mine = false;
    for (const QVariant &reaction : index.data(MessageModel::ReactionsRole).toList()) {
        const QVariantMap map = reaction.toMap();
        if (map.value(QStringLiteral("emoji")).toString() == emoji)
            mine = map.value(QStringLiteral("mine")).toBool();
    }
    QString error;
    if (!m_session->setReaction(m_room, index.data(MessageModel::IdRole).toString().toLatin1(), emoji, !mine, &error))
        showNotice(tr("Could not keep the reaction to send it (%1).")
                       .arg(error.isEmpty() ? tr("the local store refused it") : error));
}

// The server refused a change for good (the outbox dropped it): say so where the user looks.
void ConversationView::showRefusal(const Client::OutboxEntry &entry, const Chat::Error &error)
{
    if (entry.room != m_room)
        return;
    const QString reason = error.message.isEmpty() ? Chat::errorCodeName(error.code) : error.message;
    switch (entry.kind) {
    case Client::OutboxKind::Edit: showNotice(tr("The message could not be edited: %1").arg(reason)); break;
    case Client::OutboxKind::Delete: showNotice(tr("The message could not be deleted: %1").arg(reason)); break;
    case Client::OutboxKind::React: showNotice(tr("The reaction could not be set: %1").arg(reason)); break;
    case Client::OutboxKind::Send: break;
    }
}

void ConversationView::showMessage(qint64 seq)
{
    if (!m_messages || seq <= 0)
        return;
    m_stickToBottom = false; // the user is reading back now
    m_showSeq = seq;
    if (m_messages->rowOfSeq(seq) >= 0)
        return scrollToShownMessage();
    // Out of the window: its page first (a cache hit answers at once), then the scroll.
    m_messages->showFrom(std::max<qint64>(1, seq - ContextBefore));
}

void ConversationView::scrollToShownMessage()
{
    const int row = m_messages->rowOfSeq(std::exchange(m_showSeq, 0));
    if (row < 0)
        return;
    const QModelIndex index = m_messages->index(row);
    m_list->doItemsLayout(); // positions now: the page may have just replaced the rows
    m_list->scrollTo(index, QAbstractItemView::PositionAtCenter);
    // A message near the newest cannot be centred: the view stays at the bottom, and
    // no scrolling tells handleScroll so. Still there, it follows new messages again.
    m_stickToBottom = isAtBottom() && !m_messages->hasNewer();
    m_list->flash(index);
    m_overlayTimer.start();
}

} // namespace Confab::Desktop
