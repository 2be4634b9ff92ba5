#include "roomdelegate.h"

#include "messagemarkdown.h"
#include "roomlistmodel.h"

#include <QApplication>
#include <QPainter>

namespace Confab::Desktop {

using Client::RoomListModel;

namespace {
constexpr int Padding = 8;
}

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return { 100, 2 * QFontMetrics(option.font).height() + 2 * Padding + 2 }; // width: whatever the panel has
}

void RoomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    background.icon = {};
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    const QColor text = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = text;
    muted.setAlpha(150);
    const int unread = index.data(RoomListModel::UnreadCountRole).toInt();
    const QFontMetrics metrics(option.font);
    const QRect content = option.rect.adjusted(Padding + 4, Padding, -Padding - 4, -Padding);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    int badgeWidth = 0;
    if (unread > 0) {
        const QString count = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
        QFont badgeFont = option.font;
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(option.font.pointSizeF() * 0.85);
        const QFontMetrics badgeMetrics(badgeFont);
        const int height = badgeMetrics.height() + 2;
        badgeWidth = std::max(height, badgeMetrics.horizontalAdvance(count) + 10);
        const QRect badge(content.right() - badgeWidth + 1, content.top() + (metrics.height() - height) / 2, badgeWidth,
                          height);
        painter->setPen(Qt::NoPen);
        painter->setBrush(selected ? option.palette.color(QPalette::HighlightedText) : QColor(0xd6, 0x45, 0x45));
        painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
        painter->setFont(badgeFont);
        painter->setPen(selected ? option.palette.color(QPalette::Highlight) : QColor(Qt::white));
        painter->drawText(badge, Qt::AlignCenter, count);
        badgeWidth += 6;
    }

    QFont titleFont = option.font;
    titleFont.setBold(unread > 0);
    painter->setFont(titleFont);
    painter->setPen(text);
    const QRect titleRect(content.left(), content.top(), content.width() - badgeWidth, metrics.height());
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(titleFont).elidedText(index.data(RoomListModel::TitleRole).toString(),
                                                         Qt::ElideRight, titleRect.width()));
    painter->setFont(option.font);
    painter->setPen(muted);
    const QString last = previewOf(index.data(RoomListModel::LastMessageRole).toString());
    const QRect lastRect(content.left(), content.top() + metrics.height() + 2, content.width(), metrics.height());
    painter->drawText(lastRect, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(last.isEmpty() ? tr("No messages yet") : last, Qt::ElideRight,
                                         lastRect.width()));
    painter->restore();
}

QString RoomDelegate::previewOf(const QString &text) const
{
    if (const QString *cached = m_previews.object(text))
        return *cached;
    // One line shows: Markdown is rendered and text elided for its start only (a long
    // message's whole text cost more than the rest of the row at every paint).
    constexpr int RenderedChars = 400;
    constexpr int KeptChars = 120;
    const QString preview = plainTextOf(text.left(RenderedChars)).simplified().left(KeptChars);
    m_previews.insert(text, new QString(preview));
    return preview;
}

} // namespace Confab::Desktop
