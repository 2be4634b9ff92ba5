#include "messagedelegate.h"

#include "messagemodel.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QTextLayout>
#include <QToolTip>

namespace Confab::Desktop {

using Client::MessageModel;

namespace {

constexpr int Margin = 14;
constexpr int AvatarSize = 32;
constexpr int Gutter = Margin + AvatarSize + 10; // where names and text start
constexpr int StateWidth = 22;
constexpr qint64 GroupPauseMs = 5 * 60 * 1000;   // a new header after five quiet minutes

QDateTime timeOf(const QModelIndex &index)
{
    return QDateTime::fromMSecsSinceEpoch(index.data(MessageModel::TimestampRole).toLongLong());
}

int wrappedHeight(const QFont &font, int width, const QString &text)
{
    QTextLayout layout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    qreal height = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        height += line.height();
    }
    layout.endLayout();
    return qCeil(height);
}

QString retryText()
{
    return MessageDelegate::tr("Retry");
}

QString discardText()
{
    return MessageDelegate::tr("Discard");
}

} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

MessageDelegate::Layout MessageDelegate::layout(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Layout result;
    const QFontMetrics metrics(option.font);
    const QModelIndex previous = index.sibling(index.row() - 1, 0);
    const QDateTime time = timeOf(index);
    const bool newDay = !previous.isValid() || timeOf(previous).date() != time.date();
    const bool newGroup = newDay || previous.data(MessageModel::FromRole) != index.data(MessageModel::FromRole)
        || timeOf(previous).msecsTo(time) > GroupPauseMs;
    const bool own = index.data(MessageModel::FromRole).toString() == m_user;
    const bool failed = index.data(MessageModel::StateRole).value<MessageModel::State>() == MessageModel::State::Failed;

    const QRect area = option.rect;
    int y = area.top();
    if (newDay) {
        result.day = QRect(area.left(), y + 6, area.width(), metrics.height() + 8);
        y = result.day.bottom() + 1;
    }
    if (newGroup) {
        y += 8;
        result.avatar = QRect(area.left() + Margin, y + 2, AvatarSize, AvatarSize);
        result.header = QRect(area.left() + Gutter, y, area.width() - Gutter - Margin, metrics.height());
        y = result.header.bottom() + 1;
    }
    const int textWidth = std::max(40, area.width() - Gutter - Margin - StateWidth);
    const int textHeight = wrappedHeight(option.font, textWidth, index.data(MessageModel::TextRole).toString());
    result.text = QRect(area.left() + Gutter, y + 1, textWidth, textHeight);
    y = result.text.bottom() + 1;
    if (own)
        result.state = QRect(area.right() - Margin - 16 + 1, result.text.bottom() - metrics.height() / 2 - 8, 16, 16);
    if (failed) {
        const QString failedText = tr("Not sent.");
        const int x = result.text.left() + metrics.horizontalAdvance(failedText + QLatin1Char(' '));
        result.retry = QRect(x, y + 2, metrics.horizontalAdvance(retryText()), metrics.height());
        result.discard = QRect(result.retry.right() + metrics.horizontalAdvance(QStringLiteral(" · ")), y + 2,
                               metrics.horizontalAdvance(discardText()), metrics.height());
        y = result.retry.bottom() + 1;
    }
    if (newGroup && y < result.avatar.bottom())
        y = result.avatar.bottom();
    result.height = y + 3 - area.top();
    return result;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return { option.rect.width(), layout(option, index).height };
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Layout rects = layout(option, index);
    const QPalette &palette = option.palette;
    const bool dark = isDark(palette);
    const QString from = index.data(MessageModel::FromRole).toString();
    const QString text = index.data(MessageModel::TextRole).toString();
    const auto state = index.data(MessageModel::StateRole).value<MessageModel::State>();
    const QFontMetrics metrics(option.font);
    QColor muted = palette.color(QPalette::PlaceholderText);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect body(option.rect.left(), (rects.header.isValid() ? rects.header.top() - 4 : rects.text.top() - 1),
                     option.rect.width(), 0);
    QRect highlight(body.topLeft(), QPoint(option.rect.right(), option.rect.bottom()));
    if (from != m_user && mentions(text, m_user)) {
        QColor tint = palette.color(QPalette::Highlight);
        tint.setAlpha(dark ? 50 : 28);
        painter->fillRect(highlight, tint);
        painter->fillRect(QRect(highlight.topLeft(), QSize(3, highlight.height())), palette.color(QPalette::Highlight));
    } else if (option.state & QStyle::State_MouseOver) {
        QColor hover = palette.color(QPalette::Text);
        hover.setAlpha(dark ? 14 : 9);
        painter->fillRect(highlight, hover);
    }

    if (rects.day.isValid()) {
        const QString day = dayText(timeOf(index).date());
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        const int width = QFontMetrics(bold).horizontalAdvance(day) + 24;
        const QRect label(rects.day.center().x() - width / 2, rects.day.top(), width, rects.day.height());
        QColor line = muted;
        line.setAlpha(90);
        painter->setPen(line);
        const int middle = rects.day.center().y();
        painter->drawLine(rects.day.left() + Margin, middle, label.left(), middle);
        painter->drawLine(label.right(), middle, rects.day.right() - Margin, middle);
        painter->setPen(muted);
        painter->drawText(label, Qt::AlignCenter, day);
        painter->setFont(option.font);
    }

    if (rects.header.isValid()) {
        const QColor color = senderColor(from, dark);
        painter->setPen(Qt::NoPen);
        painter->setBrush(senderColor(from, false)); // white initials need the darker shade
        painter->drawEllipse(rects.avatar);
        QFont initialFont = option.font;
        initialFont.setBold(true);
        initialFont.setPointSizeF(option.font.pointSizeF() * 1.15);
        painter->setFont(initialFont);
        painter->setPen(Qt::white);
        painter->drawText(rects.avatar, Qt::AlignCenter, from.left(1).toUpper());

        QFont nameFont = option.font;
        nameFont.setBold(true);
        painter->setFont(nameFont);
        painter->setPen(color);
        painter->drawText(rects.header, Qt::AlignLeft | Qt::AlignVCenter, from);
        const int nameWidth = QFontMetrics(nameFont).horizontalAdvance(from);
        painter->setFont(option.font);
        painter->setPen(muted);
        painter->drawText(rects.header.adjusted(nameWidth + 8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          shortTime(timeOf(index).time()));
    }

    QTextOption wrap;
    wrap.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    QColor textColor = palette.color(QPalette::Text);
    if (state == MessageModel::State::Pending)
        textColor.setAlpha(170); // not on the server yet: a little quieter
    painter->setPen(textColor);
    painter->drawText(QRectF(rects.text), text, wrap);

    if (rects.state.isValid())
        stateIcon(state).paint(painter, rects.state);

    if (rects.retry.isValid()) {
        const QColor error(0xd6, 0x45, 0x45);
        painter->setPen(error);
        painter->drawText(QRect(rects.text.left(), rects.retry.top(), rects.retry.left() - rects.text.left(), rects.retry.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, tr("Not sent."));
        QFont link = option.font;
        link.setUnderline(true);
        painter->setFont(link);
        painter->setPen(palette.color(QPalette::Link));
        painter->drawText(rects.retry, Qt::AlignLeft | Qt::AlignVCenter, retryText());
        painter->drawText(rects.discard, Qt::AlignLeft | Qt::AlignVCenter, discardText());
        painter->setFont(option.font);
        painter->setPen(muted);
        painter->drawText(QRect(rects.retry.right(), rects.retry.top(), rects.discard.left() - rects.retry.right(), rects.retry.height()),
                          Qt::AlignCenter, QStringLiteral("·"));
    }
    painter->restore();
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                  const QModelIndex &index)
{
    if (event->type() != QEvent::MouseButtonRelease)
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    const QPoint position = static_cast<QMouseEvent *>(event)->position().toPoint();
    const Layout rects = layout(option, index);
    const QString clientId = index.data(MessageModel::ClientIdRole).toString();
    if (rects.retry.contains(position)) {
        Q_EMIT retryRequested(clientId);
        return true;
    }
    if (rects.discard.contains(position)) {
        Q_EMIT discardRequested(clientId);
        return true;
    }
    return false;
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                const QModelIndex &index)
{
    const Layout rects = layout(option, index);
    QString tip;
    if (rects.state.contains(event->pos())) {
        switch (index.data(MessageModel::StateRole).value<MessageModel::State>()) {
        case MessageModel::State::Pending: tip = tr("Waiting to be sent"); break;
        case MessageModel::State::Sent: tip = tr("Sent"); break;
        case MessageModel::State::Delivered: tip = tr("Delivered"); break;
        case MessageModel::State::Read: tip = tr("Read"); break;
        case MessageModel::State::Failed: tip = tr("Not sent"); break;
        }
    } else {
        tip = QLocale().toString(timeOf(index), QLocale::LongFormat);
    }
    QToolTip::showText(event->globalPos(), tip, view);
    return true;
}

} // namespace Confab::Desktop
