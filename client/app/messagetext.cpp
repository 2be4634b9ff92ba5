#include "messagetext.h"

#include <QPainter>
#include <QPalette>
#include <QRegularExpression>
#include <QtMath>

namespace Confab::Desktop {

QList<MessageLink> findLinks(const QString &text)
{
    static const QRegularExpression url(QStringLiteral("\\bhttps?://[^\\s<>\"]+"),
                                        QRegularExpression::CaseInsensitiveOption);
    QList<MessageLink> links;
    if (!text.contains(QLatin1String("://")))
        return links; // the common case, without running the expression
    for (auto it = url.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        QString link = match.captured();
        // "see https://example.org/a." or "(https://example.org/a)": the punctuation is the sentence's.
        while (!link.isEmpty() && QStringLiteral(".,;:!?'").contains(link.back()))
            link.chop(1);
        if (link.endsWith(QLatin1Char(')')) && link.count(QLatin1Char('(')) < link.count(QLatin1Char(')')))
            link.chop(1);
        links.append({ int(match.capturedStart()), int(link.size()), link });
    }
    return links;
}

MessageText::MessageText(const QString &text, const QFont &font, int width, const QPalette &palette,
                         const QString &note)
    : m_selectionBackground(palette.color(QPalette::Highlight))
    , m_selectionText(palette.color(QPalette::HighlightedText))
{
    QString laidOut = text;
    const int noteStart = text.isEmpty() || note.isEmpty() ? int(text.size()) : int(text.size()) + 1;
    if (!note.isEmpty())
        laidOut += (text.isEmpty() ? QString() : QStringLiteral(" ")) + note;
    laidOut.replace(QLatin1Char('\n'), QChar::LineSeparator); // QTextLayout breaks lines only at these
    m_layout = std::make_unique<QTextLayout>(laidOut, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    const bool rightToLeft = text.isRightToLeft();
    option.setTextDirection(rightToLeft ? Qt::RightToLeft : Qt::LeftToRight);
    option.setAlignment((rightToLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute);
    m_layout->setTextOption(option);
    m_layout->setCacheEnabled(true); // keep the shaped glyphs: the delegate paints this layout many times

    m_links = findLinks(text);
    QList<QTextLayout::FormatRange> formats;
    for (const MessageLink &link : std::as_const(m_links)) {
        QTextCharFormat format;
        format.setForeground(palette.color(QPalette::Link));
        format.setFontUnderline(true);
        formats.append({ link.start, link.length, format });
    }
    if (!note.isEmpty()) {
        QTextCharFormat quiet;
        quiet.setForeground(palette.color(QPalette::PlaceholderText));
        quiet.setFontItalic(true);
        formats.append({ noteStart, int(note.size()), quiet });
    }
    m_layout->setFormats(formats);

    m_layout->beginLayout();
    qreal y = 0;
    for (QTextLine line = m_layout->createLine(); line.isValid(); line = m_layout->createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    m_layout->endLayout();
    m_height = qCeil(y);
}

void MessageText::draw(QPainter *painter, const QPointF &topLeft, int selectionStart, int selectionEnd) const
{
    QList<QTextLayout::FormatRange> selections;
    if (selectionStart >= 0 && selectionEnd > selectionStart) {
        QTextCharFormat selected;
        selected.setBackground(m_selectionBackground);
        selected.setForeground(m_selectionText);
        selections.append({ selectionStart, selectionEnd - selectionStart, selected });
    }
    m_layout->draw(painter, topLeft, selections);
}

int MessageText::positionAt(const QPointF &point) const
{
    if (point.y() < 0 || point.y() >= m_height)
        return -1;
    for (int i = 0; i < m_layout->lineCount(); ++i) {
        const QTextLine line = m_layout->lineAt(i);
        if (point.y() < line.y() + line.height())
            return line.xToCursor(point.x());
    }
    return -1;
}

QString MessageText::linkAt(const QPointF &point) const
{
    if (m_links.isEmpty())
        return {};
    const int position = positionAt(point);
    if (position < 0)
        return {};
    // xToCursor gives the nearest gap between characters: check the point is over the text itself.
    const QTextLine line = m_layout->lineForTextPosition(position);
    if (!line.isValid() || point.x() < line.x() || point.x() > line.x() + line.naturalTextWidth())
        return {};
    for (const MessageLink &link : m_links) {
        if (position >= link.start && position < link.start + link.length)
            return link.url;
        // The cursor lands on the gap after a character when the point is on its right half.
        if (position == link.start + link.length && line.cursorToX(position) > point.x())
            return link.url;
    }
    return {};
}

} // namespace Confab::Desktop
