#include "memberdelegate.h"

#include "membermodel.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace Confab::Desktop {

using Client::MemberModel;

namespace {
bool isUnknown(const QString &status)
{
    return status == MemberModel::UnknownStatus;
}
} // namespace

QString MemberDelegate::detailText(const QModelIndex &index)
{
    const QString status = index.data(MemberModel::StatusRole).toString();
    QString presence;
    if (isUnknown(status))
        presence = tr("offline?");
    else if (status.isEmpty() || status == QLatin1String("offline"))
        presence = lastSeenText(index.data(MemberModel::LastSeenRole).toLongLong());
    else
        presence = presenceText(status);
    // The room's owner and moderators say so first; members and DM rooms do not.
    const QString role = index.data(MemberModel::MemberRoleRole).toString();
    if (role == QLatin1String("owner"))
        return tr("Owner · %1").arg(presence);
    if (role == QLatin1String("moderator"))
        return tr("Moderator · %1").arg(presence);
    return presence;
}

bool MemberDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                               const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()
        && isUnknown(index.data(MemberModel::StatusRole).toString())) {
        QToolTip::showText(event->globalPos(),
                           tr("offline? (not connected: presence is unknown until the connection returns)"), view);
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

QSize MemberDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return { 100, 2 * QFontMetrics(option.font).height() + 12 };
}

void MemberDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);

    const QString status = index.data(MemberModel::StatusRole).toString();
    const bool unknown = isUnknown(status); // a grey dot: we cannot know while disconnected
    const bool offline = !unknown && (status.isEmpty() || status == QLatin1String("offline"));
    const QFontMetrics metrics(option.font);
    const QRect content = option.rect.adjusted(12, 6, -8, -6);
    const bool selected = option.state & QStyle::State_Selected;
    QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    if ((offline || unknown) && !selected)
        text.setAlpha(160);
    QColor muted = text;
    muted.setAlpha(130);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const int dot = 10;
    const QRectF dotRect(content.left(), content.top() + (metrics.height() - dot) / 2.0, dot, dot);
    if (offline) {
        painter->setPen(QPen(presenceColor(status), 1.6));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(dotRect.adjusted(0.8, 0.8, -0.8, -0.8));
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(presenceColor(status));
        painter->drawEllipse(dotRect);
    }
    const int left = content.left() + dot + 8;
    const QRect nameRect(left, content.top(), content.right() - left, metrics.height());
    painter->setPen(text);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(index.data(MemberModel::UserRole).toString(), Qt::ElideRight,
                                         nameRect.width()));
    const QString detail = detailText(index);
    painter->setPen(muted);
    painter->drawText(nameRect.translated(0, metrics.height() + 1), Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(detail, Qt::ElideRight, nameRect.width()));
    painter->restore();
}

} // namespace Confab::Desktop
