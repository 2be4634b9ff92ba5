#include "searchdelegate.h"

#include "theme.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QTextLayout>

#include <memory>

namespace Confab::Desktop {

namespace {

constexpr int Padding = 8;
constexpr int Indent = 12;
constexpr int HeaderGap = 3;
const QChar Ellipsis(0x2026);

int textWidth(const QStyleOptionViewItem &option)
{
    int width = option.rect.width();
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        width = view->viewport()->width();
    return std::max(40, width - 2 * Indent);
}

QColor markerColor(const QStyleOptionViewItem &option)
{
    if (option.state & QStyle::State_Selected) {
        QColor marker = option.palette.color(QPalette::HighlightedText);
        marker.setAlpha(60);
        return marker;
    }
    return isDark(option.palette) ? QColor(0x8a, 0x6d, 0x12) : QColor(0xff, 0xe0, 0x82);
}

struct TextLines
{
    std::unique_ptr<QTextLayout> layout;
    int lines = 0;
};

TextLines layOut(const QString &text, const QList<TextRange> &ranges, const QFont &font, int width)
{
    TextLines laid;
    laid.layout = std::make_unique<QTextLayout>(text, font);
    QTextCharFormat highlight;
    highlight.setFontWeight(QFont::Bold);
    QList<QTextLayout::FormatRange> formats;
    for (const TextRange &range : ranges) {
        if (range.start < text.size())
            formats.append({ int(range.start), int(std::min(range.length, text.size() - range.start)), highlight });
    }
    laid.layout->setFormats(formats);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    laid.layout->setTextOption(option);
    const int lineHeight = QFontMetrics(font).height();
    laid.layout->beginLayout();
    for (;;) {
        QTextLine line = laid.layout->createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, laid.lines * lineHeight));
        ++laid.lines;
    }
    laid.layout->endLayout();
    return laid;
}

// At most MaxTextLines lines, the last one elided when the text goes on.
TextLines textLines(const SearchDelegate::Snippet &snippet, const QFont &font, int width)
{
    TextLines laid = layOut(snippet.text, snippet.ranges, font, width);
    if (laid.lines <= SearchDelegate::MaxTextLines)
        return laid;
    const int lastStart = laid.layout->lineAt(SearchDelegate::MaxTextLines - 1).textStart();
    QFont bold = font;
    bold.setBold(true); // the widest the last line can be drawn
    const QString rest = QFontMetrics(bold).elidedText(snippet.text.mid(lastStart), Qt::ElideRight, width);
    TextLines elided = layOut(snippet.text.left(lastStart) + rest, snippet.ranges, font, width);
    elided.lines = std::min(elided.lines, SearchDelegate::MaxTextLines);
    return elided;
}

} // namespace

SearchDelegate::Snippet SearchDelegate::snippet(const QString &text, const QList<TextRange> &ranges,
                                                qsizetype visibleCharacters)
{
    Snippet shown { text, ranges };
    for (QChar &c : shown.text) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    if (ranges.isEmpty())
        return shown;
    const TextRange &first = ranges.first();
    if (first.start + first.length <= visibleCharacters * 4 / 5)
        return shown;
    // Start at a word a little before the match.
    constexpr qsizetype Lead = 30;
    qsizetype cut = std::max<qsizetype>(0, first.start - Lead);
    const qsizetype space = shown.text.indexOf(QLatin1Char(' '), cut);
    if (space >= 0 && space < first.start)
        cut = space + 1;
    if (cut <= 1)
        return shown;
    shown.text = Ellipsis + shown.text.mid(cut);
    for (TextRange &range : shown.ranges)
        range.start += 1 - cut;
    shown.ranges.removeIf([](const TextRange &range) { return range.start < 1; });
    return shown;
}

QString SearchDelegate::timeText(qint64 ms)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    const qint64 days = time.date().daysTo(QDate::currentDate());
    if (days == 0)
        return shortTime(time.time());
    if (days == 1)
        return tr("Yesterday");
    if (days > 1 && days < 7)
        return QLocale().dayName(time.date().dayOfWeek(), QLocale::ShortFormat);
    return QLocale().toString(time.date(), QLocale::ShortFormat);
}

QSize SearchDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics metrics(option.font);
    const int width = textWidth(option);
    const Snippet shown = snippet(index.data(SearchModel::TextRole).toString(),
                                  index.data(SearchModel::HighlightsRole).value<QList<TextRange>>(),
                                  qsizetype(MaxTextLines) * width / std::max(1, metrics.averageCharWidth()));
    const int lines = std::max(1, textLines(shown, option.font, width).lines);
    return { width + 2 * Indent, 2 * Padding + metrics.height() + HeaderGap + lines * metrics.height() };
}

void SearchDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    const QColor text = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = text;
    muted.setAlpha(150);
    const QFontMetrics metrics(option.font);
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const QRect content = option.rect.adjusted(Indent, Padding, -Indent, -Padding);

    painter->save();
    painter->setClipRect(option.rect);
    // Top line: room · sender, and the time on the right.
    const QString time = timeText(index.data(SearchModel::TimestampRole).toLongLong());
    const int timeWidth = metrics.horizontalAdvance(time);
    painter->setFont(option.font);
    painter->setPen(muted);
    const QRect header(content.left(), content.top(), content.width(), metrics.height());
    painter->drawText(header, Qt::AlignRight | Qt::AlignVCenter, time);
    int x = content.left();
    const int right = header.right() - timeWidth - 8;
    painter->setFont(bold);
    if (m_showRooms) {
        const QString room = boldMetrics.elidedText(index.data(SearchModel::RoomTitleRole).toString(), Qt::ElideRight,
                                                    std::max(0, (right - x) / 2));
        painter->drawText(QRect(x, header.top(), right - x, header.height()), Qt::AlignLeft | Qt::AlignVCenter, room);
        x += boldMetrics.horizontalAdvance(room);
        const QString dot = QStringLiteral(" · ");
        painter->setFont(option.font);
        painter->drawText(QRect(x, header.top(), std::max(0, right - x), header.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, dot);
        x += metrics.horizontalAdvance(dot);
        painter->setFont(bold);
    }
    const QString from = index.data(SearchModel::FromRole).toString();
    painter->setPen(selected ? text : senderColor(from, isDark(option.palette)));
    painter->drawText(QRect(x, header.top(), std::max(0, right - x), header.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(from, Qt::ElideRight, std::max(0, right - x)));

    // The text, matches marked.
    const int width = textWidth(option);
    const Snippet shown = snippet(index.data(SearchModel::TextRole).toString(),
                                  index.data(SearchModel::HighlightsRole).value<QList<TextRange>>(),
                                  qsizetype(MaxTextLines) * width / std::max(1, metrics.averageCharWidth()));
    const TextLines lines = textLines(shown, option.font, width);
    const QPointF origin(content.left(), header.bottom() + 1 + HeaderGap);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(markerColor(option));
    const qsizetype shownLength = lines.layout->text().size();
    for (int i = 0; i < lines.lines; ++i) {
        const QTextLine line = lines.layout->lineAt(i);
        const int lineEnd = line.textStart() + line.textLength();
        for (const TextRange &range : shown.ranges) {
            const int start = int(std::max<qsizetype>(range.start, line.textStart()));
            const int end = int(std::min({ range.start + range.length, qsizetype(lineEnd), shownLength }));
            if (start >= end)
                continue;
            const qreal left = line.cursorToX(start);
            const qreal right = line.cursorToX(end);
            painter->drawRoundedRect(QRectF(origin.x() + left - 1, origin.y() + line.y(), right - left + 2,
                                            line.height()),
                                     2, 2);
        }
    }
    painter->setPen(text);
    for (int i = 0; i < lines.lines; ++i)
        lines.layout->lineAt(i).draw(painter, origin);
    painter->restore();
}

} // namespace Confab::Desktop
