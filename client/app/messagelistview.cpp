#include "messagelistview.h"

#include "messagedelegate.h"
#include "messagemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QHelpEvent>
#include <QScrollBar>
#include <QVariantAnimation>

namespace Confab::Desktop {

using Client::MessageModel;

MessageListView::MessageListView(MessageDelegate *delegate, QWidget *parent)
    : QListView(parent)
    , m_delegate(delegate)
    , m_flash(new QVariantAnimation(this))
{
    setItemDelegate(delegate);
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus); // for Ctrl+C after selecting; typing goes on to the composer
    // Fully tinted for a moment, so the eye finds the row, then fading out.
    m_flash->setDuration(1000);
    m_flash->setStartValue(1.0);
    m_flash->setKeyValueAt(0.3, 1.0);
    m_flash->setEndValue(0.0);
    connect(m_flash, &QVariantAnimation::valueChanged, this, [this](const QVariant &value) {
        m_delegate->setFlash(m_flashIndex, value.toReal());
        viewport()->update(visualRect(m_flashIndex));
    });
}

void MessageListView::flash(const QModelIndex &index)
{
    if (m_flashIndex.isValid())
        viewport()->update(visualRect(m_flashIndex));
    m_flashIndex = index;
    m_flash->stop();
    m_flash->start();
    Q_EMIT flashed(index);
}

QStyleOptionViewItem MessageListView::optionFor(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return option;
}

int MessageListView::textPositionAt(const QModelIndex &index, const QPoint &point) const
{
    int position = -1;
    m_delegate->partAt(optionFor(index), index, point, nullptr, &position);
    return position;
}

QString MessageListView::selectedText() const
{
    const QPersistentModelIndex index = m_delegate->selectionIndex();
    if (!index.isValid() || m_anchor < 0 || m_position < 0 || m_anchor == m_position)
        return {};
    const QString text = m_delegate->shownText(optionFor(index), index); // positions count in the shown text
    const int start = std::min(m_anchor, m_position);
    return text.mid(start, std::max(m_anchor, m_position) - start);
}

void MessageListView::clearTextSelection()
{
    m_anchor = m_position = -1;
    m_delegate->setSelection({}, -1, -1);
    viewport()->update();
}

void MessageListView::mousePressEvent(QMouseEvent *event)
{
    const QPoint point = event->position().toPoint();
    m_pressIndex = indexAt(point);
    m_pressPoint = point;
    if (hoverActionAt(point) != MessageHoverBar::Action::None)
        return; // a button, acted on when released: no text selection starts here
    if (event->button() != Qt::LeftButton || !m_pressIndex.isValid())
        return QListView::mousePressEvent(event);
    const int position = textPositionAt(m_pressIndex, point);
    clearTextSelection();
    if (position >= 0) {
        m_selecting = true;
        m_anchor = m_position = position;
        m_delegate->setSelection(m_pressIndex, m_anchor, m_position);
    }
    setFocus(Qt::MouseFocusReason);
}

void MessageListView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint point = event->position().toPoint();
    if (!m_selecting || !(event->buttons() & Qt::LeftButton) || !m_pressIndex.isValid()) {
        updatePointer(point);
        updateCursor(point);
        return QListView::mouseMoveEvent(event);
    }
    // Dragging past the message selects to its start or end.
    const QRect row = visualRect(m_pressIndex);
    const int text = int(m_pressIndex.data(MessageModel::TextRole).toString().size());
    int position = textPositionAt(m_pressIndex, QPoint(point.x(), std::clamp(point.y(), row.top(), row.bottom())));
    if (point.y() < row.top())
        position = 0;
    else if (point.y() > row.bottom() || position < 0)
        position = point.y() > row.center().y() ? text : std::max(position, 0);
    m_position = position;
    m_delegate->setSelection(m_pressIndex, m_anchor, m_position);
    viewport()->update(row);
}

void MessageListView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_selecting && QGuiApplication::clipboard()->supportsSelection() && !selectedText().isEmpty())
        QGuiApplication::clipboard()->setText(selectedText(), QClipboard::Selection); // middle-click paste
    m_selecting = false;
    const QPoint point = event->position().toPoint();
    const bool click = (point - m_pressPoint).manhattanLength() < QApplication::startDragDistance();
    if (const auto action = hoverActionAt(point); action != MessageHoverBar::Action::None) {
        if (event->button() == Qt::LeftButton && click)
            triggerHoverAction(action);
        return;
    }
    const QModelIndex index = indexAt(point);
    if (event->button() != Qt::LeftButton || !click || !index.isValid() || index != m_pressIndex)
        return;
    QString link;
    switch (m_delegate->partAt(optionFor(index), index, point, &link)) {
    case MessageDelegate::Part::Link:
        clearTextSelection();
        Q_EMIT linkActivated(link);
        break;
    case MessageDelegate::Part::Retry: Q_EMIT retryRequested(index.data(MessageModel::ClientIdRole).toString()); break;
    case MessageDelegate::Part::Discard:
        Q_EMIT discardRequested(index.data(MessageModel::ClientIdRole).toString());
        break;
    case MessageDelegate::Part::Quote:
        Q_EMIT quoteActivated(index.data(MessageModel::ReplyToRole).toMap().value(QStringLiteral("seq")).toLongLong());
        break;
    case MessageDelegate::Part::Reaction:
        Q_EMIT reactionToggled(index, m_delegate->reactionAt(optionFor(index), index, point));
        break;
    case MessageDelegate::Part::Attachment:
        if (const QVariantMap file = m_delegate->attachmentAt(optionFor(index), index, point);
            !file.value(QStringLiteral("pending")).toBool())
            Q_EMIT fileActivated(file, FileAction::Open);
        break;
    case MessageDelegate::Part::None:
    case MessageDelegate::Part::Text: break;
    }
}

void MessageListView::mouseDoubleClickEvent(QMouseEvent *event)
{
    // A double click selects the word under the pointer.
    const QModelIndex index = indexAt(event->position().toPoint());
    const int position = index.isValid() ? textPositionAt(index, event->position().toPoint()) : -1;
    if (position < 0)
        return;
    const QString text = m_delegate->shownText(optionFor(index), index);
    int start = std::min(position, int(text.size()));
    int end = start;
    while (start > 0 && text.at(start - 1).isLetterOrNumber())
        --start;
    while (end < text.size() && text.at(end).isLetterOrNumber())
        ++end;
    m_anchor = start;
    m_position = end;
    m_delegate->setSelection(index, m_anchor, m_position);
    viewport()->update(visualRect(index));
}

void MessageListView::updateCursor(const QPoint &point)
{
    const QModelIndex index = indexAt(point);
    Qt::CursorShape shape = Qt::ArrowCursor;
    if (hoverActionAt(point) != MessageHoverBar::Action::None) {
        shape = Qt::PointingHandCursor;
    } else if (index.isValid()) {
        switch (m_delegate->partAt(optionFor(index), index, point)) {
        case MessageDelegate::Part::Link:
        case MessageDelegate::Part::Retry:
        case MessageDelegate::Part::Discard:
        case MessageDelegate::Part::Quote:
        case MessageDelegate::Part::Attachment:
        case MessageDelegate::Part::Reaction: shape = Qt::PointingHandCursor; break;
        case MessageDelegate::Part::Text: shape = Qt::IBeamCursor; break;
        case MessageDelegate::Part::None: break;
        }
    }
    if (viewport()->cursor().shape() != shape)
        viewport()->setCursor(shape);
}

bool MessageListView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::Leave)
        updatePointer({ -1, -1 });
    if (event->type() == QEvent::ToolTip && showHoverToolTip(static_cast<QHelpEvent *>(event)))
        return true;
    return QListView::viewportEvent(event);
}

void MessageListView::copySelection() const
{
    if (const QString text = selectedText(); !text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void MessageListView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy))
        return copySelection();
    // Scrolling keys move the view, not an invisible current item.
    QScrollBar *bar = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_PageUp: return bar->triggerAction(QAbstractSlider::SliderPageStepSub);
    case Qt::Key_PageDown: return bar->triggerAction(QAbstractSlider::SliderPageStepAdd);
    case Qt::Key_Up: return bar->triggerAction(QAbstractSlider::SliderSingleStepSub);
    case Qt::Key_Down: return bar->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    case Qt::Key_Home: return bar->triggerAction(QAbstractSlider::SliderToMinimum);
    case Qt::Key_End: return bar->triggerAction(QAbstractSlider::SliderToMaximum);
    default: break;
    }
    const bool typing = !event->text().isEmpty() && event->text().at(0).isPrint()
        && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    if (typing && m_typingTarget) {
        m_typingTarget->setFocus(Qt::OtherFocusReason);
        QCoreApplication::sendEvent(m_typingTarget, event);
        return;
    }
    QListView::keyPressEvent(event);
}

} // namespace Confab::Desktop
