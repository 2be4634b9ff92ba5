#include "messagedelegate.h"

#include "attachmentchips.h"
#include "messagemodel.h"
#include "reactionchips.h"
#include "replyquote.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

namespace Confab::Desktop {

using Client::MessageModel;

namespace {

constexpr int Margin = 14;
constexpr int AvatarSize = 32;
constexpr int Gutter = Margin + AvatarSize + 10; // where names and text start
constexpr int StateWidth = 22;
constexpr qint64 GroupPauseMs = 5 * 60 * 1000; // a new header after five quiet minutes

enum Flag {
    NewDay = 1,
    NewGroup = 2,
    Own = 4,
    Failed = 8,
    FirstUnread = 16,
    CanRetry = 32,
    HasReply = 64,
    Deleted = 128
};

QDateTime timeOf(const QModelIndex &index)
{
    return QDateTime::fromMSecsSinceEpoch(index.data(MessageModel::TimestampRole).toLongLong());
}

// Rows are as wide as the list's viewport, measured and painted at that width (the
// option a view passes to sizeHint spans the whole view, its scroll bar included).
int rowWidth(const QStyleOptionViewItem &option)
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return view->viewport()->width();
    return option.rect.width();
}

int textWidthFor(const QStyleOptionViewItem &option)
{
    return std::max(40, rowWidth(option) - Gutter - Margin - StateWidth);
}

QString failureText(const QModelIndex &index)
{
    const QString reason = index.data(MessageModel::ErrorRole).toString();
    return reason.isEmpty() ? MessageDelegate::tr("Not sent.") : MessageDelegate::tr("Not sent: %1.").arg(reason);
}

QString retryText()
{
    return MessageDelegate::tr("Retry");
}

QString discardText()
{
    return MessageDelegate::tr("Discard");
}

QString separatorText()
{
    return QStringLiteral(" · ");
}

} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_texts(200) // a few screens of rows
{
}

void MessageDelegate::clearCachesIfStyleChanged(const QStyleOptionViewItem &option) const
{
    if (option.font == m_cachedFont && option.palette.cacheKey() == m_cachedPalette)
        return;
    m_heights.clear();
    m_texts.clear();
    m_cachedFont = option.font;
    m_cachedPalette = option.palette.cacheKey();
}

int MessageDelegate::flagsOf(const QModelIndex &index) const
{
    // Called for every row of the window on each layout: model roles only, no time zone lookups.
    const QModelIndex previous = index.sibling(index.row() - 1, 0);
    const QString from = index.data(MessageModel::FromRole).toString();
    int flags = 0;
    const bool newDay
        = !previous.isValid() || previous.data(MessageModel::DayRole) != index.data(MessageModel::DayRole);
    if (newDay)
        flags |= NewDay;
    const qint64 pause = index.data(MessageModel::TimestampRole).toLongLong()
        - previous.data(MessageModel::TimestampRole).toLongLong();
    if (newDay || previous.data(MessageModel::FromRole).toString() != from || pause > GroupPauseMs)
        flags |= NewGroup;
    if (from == m_user)
        flags |= Own;
    if (index.data(MessageModel::StateRole).value<MessageModel::State>() == MessageModel::State::Failed)
        flags |= Failed;
    if (index.data(MessageModel::CanRetryRole).toBool())
        flags |= CanRetry;
    if (index.data(MessageModel::FirstUnreadRole).toBool())
        flags |= FirstUnread;
    if (index.data(MessageModel::DeletedRole).toBool())
        flags |= Deleted;
    else if (hasActions(index) && index.data(MessageModel::ReplyToRole).isValid())
        flags |= HasReply; // a deleted message's quote went with its text
    return flags;
}

bool MessageDelegate::hasActions(const QModelIndex &index)
{
    return index.data(MessageModel::SeqRole).toLongLong() > 0 && !index.data(MessageModel::DeletedRole).toBool();
}

const MessageText &MessageDelegate::textOf(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    clearCachesIfStyleChanged(option);
    const int width = textWidthFor(option);
    const QString key = index.data(MessageModel::KeyRole).toString() + QLatin1Char('@') + QString::number(width);
    if (const MessageText *text = m_texts.object(key))
        return *text;
    QString note;
    if (index.data(MessageModel::DeletedRole).toBool())
        note = tr("This message was deleted.");
    else if (index.data(MessageModel::EditedAtRole).toLongLong() > 0)
        note = tr("(edited)");
    auto *text
        = new MessageText(index.data(MessageModel::TextRole).toString(), option.font, width, option.palette, note);
    m_texts.insert(key, text);
    return *text;
}

MessageDelegate::Layout MessageDelegate::layout(const QStyleOptionViewItem &option, const QModelIndex &index, int flags,
                                                const Measures &measures) const
{
    Layout result;
    const QFontMetrics metrics(option.font);
    const QRect area(option.rect.topLeft(), QSize(rowWidth(option), option.rect.height()));
    int y = area.top();
    if (flags & NewDay) {
        result.day = QRect(area.left(), y + 6, area.width(), metrics.height() + 8);
        y = result.day.bottom() + 1;
    }
    if (flags & FirstUnread) {
        result.unread = QRect(area.left(), y + 4, area.width(), metrics.height() + 4);
        y = result.unread.bottom() + 1;
    }
    const int bodyTop = flags & NewGroup ? y + 4 : y;
    const int textWidth = textWidthFor(option);
    if (flags & NewGroup) {
        y += 8;
        result.avatar = QRect(area.left() + Margin, y + 2, AvatarSize, AvatarSize);
        result.header = QRect(area.left() + Gutter, y, area.width() - Gutter - Margin, metrics.height());
        y = result.header.bottom() + 1;
    }
    if (flags & HasReply) {
        result.quote = QRect(area.left() + Gutter, y + 2, textWidth, ReplyQuote::height(option.font));
        y = result.quote.bottom() + 1;
    }
    result.text = QRect(area.left() + Gutter, y + 1, textWidth, measures.text);
    y = result.text.bottom() + 1;
    if (measures.attachments > 0) {
        result.attachments = QRect(result.text.left(), y, textWidth, measures.attachments);
        y = result.attachments.bottom() + 1 + 2; // a little air before the next message's text
    }
    if (measures.reactions > 0) {
        result.reactions = QRect(result.text.left(), y, textWidth, measures.reactions);
        y = result.reactions.bottom() + 1;
    }
    if ((flags & Own) && !(flags & Deleted)) // nothing is on its way any more
        result.state = QRect(area.right() - Margin - 16 + 1, result.text.bottom() - metrics.height() / 2 - 8, 16, 16);
    if (flags & Failed) {
        const int separator = metrics.horizontalAdvance(separatorText());
        const int actions = (flags & CanRetry ? metrics.horizontalAdvance(retryText()) + separator : 0)
            + metrics.horizontalAdvance(discardText());
        const int failureWidth
            = std::min(metrics.horizontalAdvance(failureText(index)) + 4, std::max(0, textWidth - actions - 8));
        result.failure = QRect(result.text.left(), y + 2, failureWidth, metrics.height());
        int x = result.failure.right() + 1 + metrics.horizontalAdvance(QLatin1Char(' '));
        if (flags & CanRetry) {
            result.retry = QRect(x, y + 2, metrics.horizontalAdvance(retryText()), metrics.height());
            x = result.retry.right() + 1 + separator;
        }
        result.discard = QRect(x, y + 2, metrics.horizontalAdvance(discardText()), metrics.height());
        y = result.discard.bottom() + 1;
    }
    if ((flags & NewGroup) && y < result.avatar.bottom())
        y = result.avatar.bottom();
    result.height = y + 3 - area.top();
    result.body = QRect(QPoint(area.left(), bodyTop), QPoint(area.right(), area.top() + result.height - 1));
    return result;
}

MessageDelegate::Measures MessageDelegate::measure(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    clearCachesIfStyleChanged(option);
    const QString key = index.data(MessageModel::KeyRole).toString();
    const int width = textWidthFor(option);
    const auto cached = m_heights.constFind(key);
    if (cached != m_heights.cend() && cached->width == width)
        return cached->measures;
    // The layouts the row's painting will use.
    const AttachmentChips files = attachmentsOf(option, index);
    const Measures measures {
        shownTextHeight(textOf(option, index), files),
        ReactionChips(index.data(MessageModel::ReactionsRole).toList(), option.font, width).height(),
        files.height(),
    };
    // Bounded: the window of a few hundred rows, over a few widths while the window resizes.
    if (m_heights.size() > 4 * MessageModel::WindowRows)
        m_heights.clear();
    m_heights.insert(key, { width, measures });
    return measures;
}

int MessageDelegate::textHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return measure(option, index).text;
}

int MessageDelegate::cachedHeight(const QModelIndex &index) const
{
    return m_heights.value(index.data(MessageModel::KeyRole).toString()).measures.text;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return { rowWidth(option), layout(option, index, flagsOf(index), measure(option, index)).height };
}

void MessageDelegate::paintDivider(QPainter *painter, const QRect &rect, const QString &label, const QColor &color,
                                   bool bold) const
{
    QFont font = painter->font();
    font.setBold(bold);
    painter->setFont(font);
    const int width = QFontMetrics(font).horizontalAdvance(label) + 24;
    const QRect box(rect.center().x() - width / 2, rect.top(), width, rect.height());
    QColor line = color;
    line.setAlpha(bold ? 90 : 200);
    painter->setPen(line);
    const int middle = rect.center().y();
    painter->drawLine(rect.left() + Margin, middle, box.left(), middle);
    painter->drawLine(box.right(), middle, rect.right() - Margin, middle);
    painter->setPen(color);
    painter->drawText(box, Qt::AlignCenter, label);
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const MessageText &text = textOf(option, index);
    const int flags = flagsOf(index);
    const ReactionChips chips(index.data(MessageModel::ReactionsRole).toList(), option.font, textWidthFor(option));
    const AttachmentChips files = attachmentsOf(option, index);
    const Layout rects = layout(option, index, flags, { shownTextHeight(text, files), chips.height(), files.height() });
    const QPalette &palette = option.palette;
    const bool pointerHere = option.rect.contains(m_pointer);
    const auto state = index.data(MessageModel::StateRole).value<MessageModel::State>();
    const QColor muted = palette.color(QPalette::PlaceholderText);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(option.font);
    paintBackground(painter, option, index, rects);
    if (rects.day.isValid())
        paintDivider(painter, rects.day, dayText(timeOf(index).date()), muted, true);
    if (rects.unread.isValid())
        paintDivider(painter, rects.unread, tr("New messages"), QColor(0xd6, 0x45, 0x45), false);
    painter->setFont(option.font);
    if (rects.header.isValid())
        paintHeader(painter, option, index, rects);
    if (rects.quote.isValid())
        ReplyQuote::paint(painter, rects.quote, index.data(MessageModel::ReplyToRole).toMap(), option.font, palette,
                          pointerHere && rects.quote.contains(m_pointer));

    QColor textColor = palette.color(QPalette::Text);
    if (state == MessageModel::State::Pending)
        textColor.setAlpha(170); // not on the server yet: a little quieter
    painter->setPen(textColor);
    const bool selected = m_selection.isValid() && m_selection == index;
    text.draw(painter, rects.text.topLeft(), selected ? m_selectionStart : -1, selected ? m_selectionEnd : -1);
    if (!files.isEmpty())
        files.paint(painter, rects.attachments.topLeft(), palette,
                    pointerHere ? files.chipAt(m_pointer - rects.attachments.topLeft()) : -1, m_images);
    if (!chips.isEmpty())
        chips.paint(painter, rects.reactions.topLeft(), palette,
                    pointerHere ? chips.chipAt(m_pointer - rects.reactions.topLeft()) : -1);

    if (rects.state.isValid())
        stateIcon(state).paint(painter, rects.state);

    if (rects.failure.isValid())
        paintFailure(painter, option, index, rects);
    painter->restore();
}

// A mention of the user is tinted and marked at the left; otherwise the row under the mouse.
void MessageDelegate::paintBackground(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                                      const Layout &rects) const
{
    const QPalette &palette = option.palette;
    const bool dark = isDark(palette);
    const QRect highlight(QPoint(option.rect.left(), rects.body.top()), option.rect.bottomRight());
    const QString from = index.data(MessageModel::FromRole).toString();
    if (from != m_user && mentions(index.data(MessageModel::TextRole).toString(), m_user)) {
        QColor tint = palette.color(QPalette::Highlight);
        tint.setAlpha(dark ? 50 : 28);
        painter->fillRect(highlight, tint);
        painter->fillRect(QRect(highlight.topLeft(), QSize(3, highlight.height())), palette.color(QPalette::Highlight));
    } else if (option.state & QStyle::State_MouseOver) {
        QColor hover = palette.color(QPalette::Text);
        hover.setAlpha(dark ? 14 : 9);
        painter->fillRect(highlight, hover);
    }
    if (m_flashStrength > 0 && m_flash == index) {
        QColor flash = palette.color(QPalette::Highlight);
        flash.setAlphaF(float((dark ? 0.45 : 0.3) * m_flashStrength));
        painter->fillRect(highlight, flash);
    }
}

// The first message of a group: avatar (initial on the sender's colour), name, time.
void MessageDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                                  const Layout &rects) const
{
    const QString from = index.data(MessageModel::FromRole).toString();
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
    painter->setPen(senderColor(from, isDark(option.palette)));
    painter->drawText(rects.header, Qt::AlignLeft | Qt::AlignVCenter, from);
    const int nameWidth = QFontMetrics(nameFont).horizontalAdvance(from);
    painter->setFont(option.font);
    painter->setPen(option.palette.color(QPalette::PlaceholderText));
    painter->drawText(rects.header.adjusted(nameWidth + 8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      shortTime(timeOf(index).time()));
}

// A message the server refused: why, and the links to retry or discard it.
void MessageDelegate::paintFailure(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                                   const Layout &rects) const
{
    painter->setPen(QColor(0xd6, 0x45, 0x45));
    const QString failure
        = QFontMetrics(option.font).elidedText(failureText(index), Qt::ElideRight, rects.failure.width());
    painter->drawText(rects.failure, Qt::AlignLeft | Qt::AlignVCenter, failure);
    QFont link = option.font;
    link.setUnderline(true);
    painter->setFont(link);
    painter->setPen(option.palette.color(QPalette::Link));
    if (rects.retry.isValid())
        painter->drawText(rects.retry, Qt::AlignLeft | Qt::AlignVCenter, retryText());
    painter->drawText(rects.discard, Qt::AlignLeft | Qt::AlignVCenter, discardText());
    if (rects.retry.isValid()) {
        painter->setFont(option.font);
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        painter->drawText(QRect(rects.retry.right(), rects.retry.top(), rects.discard.left() - rects.retry.right(),
                                rects.retry.height()),
                          Qt::AlignCenter, QStringLiteral("·"));
    }
}

MessageDelegate::Part MessageDelegate::partAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                              const QPoint &point, QString *link, int *textPosition) const
{
    const MessageText &text = textOf(option, index);
    const Layout rects = layout(option, index, flagsOf(index), measure(option, index));
    if (rects.retry.contains(point))
        return Part::Retry;
    if (rects.discard.contains(point))
        return Part::Discard;
    if (rects.quote.contains(point))
        return Part::Quote;
    if (!reactionAt(option, index, point).isEmpty())
        return Part::Reaction;
    if (!attachmentAt(option, index, point).isEmpty())
        return Part::Attachment;
    const QPointF inText = point - rects.text.topLeft();
    if (!rects.text.contains(point)
        && !(textPosition && point.y() >= rects.text.top() && point.y() <= rects.text.bottom()))
        return Part::None;
    if (textPosition)
        *textPosition = text.positionAt(QPointF(std::clamp<qreal>(inText.x(), 0, rects.text.width()), inText.y()));
    const QString url = text.linkAt(inText);
    if (link)
        *link = url;
    if (!url.isEmpty())
        return Part::Link;
    return rects.text.contains(point) ? Part::Text : Part::None;
}

QString MessageDelegate::reactionAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                    const QPoint &point) const
{
    const Layout rects = layout(option, index, flagsOf(index), measure(option, index));
    if (!rects.reactions.contains(point))
        return {};
    const ReactionChips chips(index.data(MessageModel::ReactionsRole).toList(), option.font, textWidthFor(option));
    return chips.emojiOf(chips.chipAt(point - rects.reactions.topLeft()));
}

int MessageDelegate::shownTextHeight(const MessageText &text, const AttachmentChips &files)
{
    // Files sent without a word: no empty line above their chips.
    return text.shownText().isEmpty() && !files.isEmpty() ? 0 : text.height();
}

AttachmentChips MessageDelegate::attachmentsOf(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.data(MessageModel::DeletedRole).toBool())
        return AttachmentChips({}, option.font, 0); // a deleted message's files went with it
    return AttachmentChips(index.data(MessageModel::AttachmentsRole).toList(), option.font, textWidthFor(option));
}

QVariantMap MessageDelegate::attachmentAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                          const QPoint &point) const
{
    const Layout rects = layout(option, index, flagsOf(index), measure(option, index));
    if (!rects.attachments.contains(point))
        return {};
    const AttachmentChips files = attachmentsOf(option, index);
    return files.attachmentOf(files.chipAt(point - rects.attachments.topLeft()));
}

QRect MessageDelegate::attachmentRect(const QStyleOptionViewItem &option, const QModelIndex &index, int chip) const
{
    const Layout rects = layout(option, index, flagsOf(index), measure(option, index));
    const QRect rect = attachmentsOf(option, index).chipRect(chip);
    return rect.isNull() ? QRect() : rect.translated(rects.attachments.topLeft());
}

QRect MessageDelegate::bodyRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layout(option, index, flagsOf(index), measure(option, index)).body;
}

void MessageDelegate::setFlash(const QModelIndex &index, qreal strength)
{
    m_flash = index;
    m_flashStrength = strength;
}

void MessageDelegate::setSelection(const QModelIndex &index, int start, int end)
{
    m_selection = index;
    m_selectionStart = std::min(start, end);
    m_selectionEnd = std::max(start, end);
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                const QModelIndex &index)
{
    const Layout rects = layout(option, index, flagsOf(index), measure(option, index));
    const auto [tip, area] = toolTipAt(option, index, rects, event->pos());
    // Tied to the part it is about, so it does not linger over the next one.
    QToolTip::showText(event->globalPos(), tip, view->viewport(), area);
    return true;
}

std::pair<QString, QRect> MessageDelegate::toolTipAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                                     const Layout &rects, const QPoint &point) const
{
    QString link;
    if (rects.reactions.contains(point)) {
        const ReactionChips chips(index.data(MessageModel::ReactionsRole).toList(), option.font, textWidthFor(option));
        if (const int chip = chips.chipAt(point - rects.reactions.topLeft()); chip >= 0)
            return { chips.toolTip(chip), chips.chipRect(chip).translated(rects.reactions.topLeft()) };
    }
    if (rects.attachments.contains(point)) {
        const AttachmentChips files = attachmentsOf(option, index);
        if (const int chip = files.chipAt(point - rects.attachments.topLeft()); chip >= 0)
            return { files.toolTip(chip), files.chipRect(chip).translated(rects.attachments.topLeft()) };
    }
    if (rects.quote.contains(point))
        return { tr("Show the message replied to"), rects.quote };
    if (rects.state.contains(point)) {
        switch (index.data(MessageModel::StateRole).value<MessageModel::State>()) {
        case MessageModel::State::Pending: return { tr("Waiting to be sent"), rects.state };
        case MessageModel::State::Sent: return { tr("Sent"), rects.state };
        case MessageModel::State::Delivered: return { tr("Delivered"), rects.state };
        case MessageModel::State::Read: return { tr("Read"), rects.state };
        case MessageModel::State::Failed: return { tr("Not sent"), rects.state };
        }
    }
    if (rects.failure.contains(point))
        return { failureText(index), rects.failure };
    if (partAt(option, index, point, &link) == Part::Link)
        return { link, rects.text };
    QString tip = QLocale().toString(timeOf(index), QLocale::LongFormat);
    // "(edited)" follows the text: when it was.
    if (const qint64 edited = index.data(MessageModel::EditedAtRole).toLongLong(); edited > 0)
        tip = tr("Sent %1\nEdited %2")
                  .arg(tip, QLocale().toString(QDateTime::fromMSecsSinceEpoch(edited), QLocale::LongFormat));
    return { tip, rects.body };
}

QString MessageDelegate::shownText(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return textOf(option, index).shownText();
}

} // namespace Confab::Desktop
