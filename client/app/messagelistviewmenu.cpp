// MessageListView: a message's context menu (also behind the hover actions' "more"
// button) and the emoji picker. What makes sense for the message is offered: Reply and
// React for messages on the server, Edit and Delete for one's own, only the link for a
// deleted one.
#include "messagelistview.h"

#include "emoji.h"
#include "emojipicker.h"
#include "messagedelegate.h"
#include "messagemodel.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QMenu>
#include <QTimer>

namespace Confab::Desktop {

using Client::MessageModel;

void MessageListView::contextMenuEvent(QContextMenuEvent *event)
{
    // Over the hover actions the message is theirs, also where they reach into the row above.
    const bool overBar = hoverActionAt(event->pos()) != MessageHoverBar::Action::None;
    const QModelIndex index = overBar ? QModelIndex(m_pointerIndex) : indexAt(event->pos());
    if (!index.isValid())
        return;
    QString link;
    m_delegate->partAt(optionFor(index), index, event->pos(), &link);
    const QVariantMap file = m_delegate->attachmentAt(optionFor(index), index, event->pos());
    showMessageMenu(index, event->globalPos(), link,
                    file.value(QStringLiteral("pending")).toBool() ? QVariantMap() : file);
}

void MessageListView::showMessageMenu(const QModelIndex &index, const QPoint &globalPos, const QString &link,
                                      const QVariantMap &file)
{
    const QString text = index.data(MessageModel::TextRole).toString();
    const qint64 seq = index.data(MessageModel::SeqRole).toLongLong();
    const bool deleted = index.data(MessageModel::DeletedRole).toBool();
    const bool own = index.data(MessageModel::FromRole).toString() == m_delegate->currentUser();
    const bool stored = seq > 0;
    const QPersistentModelIndex target(index); // the row may move while the menu is open
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("messageMenu"));
    // Closed, it leaves the pointer wherever it went meanwhile: the hover actions follow.
    connect(menu, &QMenu::aboutToHide, this, [this] { QTimer::singleShot(0, this, &MessageListView::refreshPointer); });
    if (!file.isEmpty()) { // right-clicked on one of its files
        menu->addAction(tr("&Open %1").arg(file.value(QStringLiteral("name")).toString()), this,
                        [this, file] { Q_EMIT fileActivated(file, FileAction::Open); })
            ->setObjectName(QStringLiteral("openFileAction"));
        menu->addAction(tr("&Save As…"), this, [this, file] { Q_EMIT fileActivated(file, FileAction::SaveAs); })
            ->setObjectName(QStringLiteral("saveFileAction"));
        menu->addSeparator();
    }
    if (MessageDelegate::hasActions(index)) {
        QAction *reply = menu->addAction(tr("&Reply"), this, [this, target] {
            if (target.isValid())
                Q_EMIT replyRequested(target);
        });
        reply->setObjectName(QStringLiteral("replyAction"));
        addReactMenu(menu, index);
        menu->addSeparator();
    }
    if (!deleted) {
        if (!selectedText().isEmpty() && m_delegate->selectionIndex() == index)
            menu->addAction(tr("&Copy"), this, &MessageListView::copySelection)->setShortcut(QKeySequence::Copy);
        menu->addAction(tr("Copy &Text"), this, [text] { QGuiApplication::clipboard()->setText(text); });
    }
    if (!link.isEmpty())
        menu->addAction(tr("Copy &Link"), this, [link] { QGuiApplication::clipboard()->setText(link); });
    if (stored && m_linkBuilder) {
        const QString messageLink = m_linkBuilder(seq);
        menu->addAction(tr("Copy &Message Link"), this,
                        [messageLink] { QGuiApplication::clipboard()->setText(messageLink); });
    }
    if (own && stored && !deleted) {
        menu->addSeparator();
        QAction *edit = menu->addAction(tr("&Edit"), this, [this, target] {
            if (target.isValid())
                Q_EMIT editRequested(target);
        });
        edit->setObjectName(QStringLiteral("editAction"));
        QAction *remove = menu->addAction(tr("&Delete…"), this, [this, target] {
            if (target.isValid())
                Q_EMIT deleteRequested(target);
        });
        remove->setObjectName(QStringLiteral("deleteAction"));
    }
    menu->popup(globalPos);
}

// React ▸ the quick six (checked where the user's reaction is there already) and More….
void MessageListView::addReactMenu(QMenu *menu, const QModelIndex &index)
{
    QStringList mine;
    for (const QVariant &reaction : index.data(MessageModel::ReactionsRole).toList()) {
        if (reaction.toMap().value(QStringLiteral("mine")).toBool())
            mine.append(reaction.toMap().value(QStringLiteral("emoji")).toString());
    }
    const QPersistentModelIndex target(index);
    QMenu *react = menu->addMenu(tr("Re&act"));
    react->setObjectName(QStringLiteral("reactMenu"));
    react->setFont(emojiFont(react->font()));
    for (const QString &emoji : EmojiPicker::quickReactions()) {
        QAction *action = react->addAction(emoji, this, [this, target, emoji] {
            if (target.isValid())
                Q_EMIT reactionToggled(target, emoji);
        });
        action->setCheckable(true);
        action->setChecked(mine.contains(emoji));
    }
    react->addSeparator();
    const QPoint at = QCursor::pos();
    QAction *more = react->addAction(tr("More…"), this, [this, target, at] {
        if (target.isValid())
            showEmojiPicker(target, at);
    });
    more->setObjectName(QStringLiteral("moreReactionsAction"));
}

void MessageListView::showEmojiPicker(const QModelIndex &index, const QPoint &globalPos)
{
    auto *picker = new EmojiPicker(this);
    connect(picker, &EmojiPicker::closed, this,
            [this] { QTimer::singleShot(0, this, &MessageListView::refreshPointer); });
    const QPersistentModelIndex target(index);
    connect(picker, &EmojiPicker::picked, this, [this, target](const QString &emoji) {
        if (target.isValid())
            Q_EMIT reactionToggled(target, emoji);
    });
    picker->popup(globalPos);
}

} // namespace Confab::Desktop
