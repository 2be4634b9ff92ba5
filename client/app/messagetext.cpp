#include "messagetext.h"

#include "emoji.h"
#include "messagemarkdown.h"

#include <QAbstractTextDocumentLayout>
#include <QPainter>
#include <QPalette>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextDocument>
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

namespace {

// @name tokens in text, not inside links: start and length.
QList<std::pair<int, int>> findMentions(const QString &text, const QList<MessageLink> &links)
{
    QList<std::pair<int, int>> mentions;
    if (!text.contains(QLatin1Char('@')))
        return mentions;
    for (auto it = mentionPattern().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const int start = int(match.capturedStart());
        const bool inLink = std::any_of(links.cbegin(), links.cend(), [start](const MessageLink &link) {
            return start >= link.start && start < link.start + link.length;
        });
        if (!inLink)
            mentions.append({ start, int(match.capturedLength()) });
    }
    return mentions;
}

} // namespace

MessageText::MessageText(const QString &text, const QFont &font, int width, const QPalette &palette,
                         const QString &note)
    : m_selectionBackground(palette.color(QPalette::Highlight))
    , m_selectionText(palette.color(QPalette::HighlightedText))
{
    if (hasMarkup(text))
        layOutMarkdown(text, font, width, palette, note);
    else
        layOutPlain(text, font, width, palette, note);
}

MessageText::~MessageText() = default;

void MessageText::layOutPlain(const QString &text, const QFont &font, int width, const QPalette &palette,
                              const QString &note)
{
    QString laidOut = text;
    const int noteStart = text.isEmpty() || note.isEmpty() ? int(text.size()) : int(text.size()) + 1;
    if (!note.isEmpty())
        laidOut += (text.isEmpty() ? QString() : QStringLiteral(" ")) + note;
    m_shownText = laidOut;
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
    for (const auto &[start, length] : findMentions(text, m_links)) {
        QTextCharFormat format;
        format.setForeground(palette.color(QPalette::Link));
        format.setFontWeight(QFont::Bold);
        formats.append({ start, length, format });
    }
    QTextCharFormat emoji; // in colour: see emoji.h
    emoji.setFontFamilies(emojiFamilies() + font.families());
    for (const EmojiRun &run : emojiRuns(text))
        formats.append({ run.start, run.length, emoji });
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

void MessageText::layOutMarkdown(const QString &text, const QFont &font, int width, const QPalette &palette,
                                 const QString &note)
{
    m_document = renderMarkdown(text, font, width, palette, note);
    m_shownText = m_document->toPlainText();
    m_codeBackground = palette.color(QPalette::Text);
    m_codeBackground.setAlpha(18);
    m_quoteBar = palette.color(QPalette::PlaceholderText);

    qreal bottom = m_document->size().height();
    QRectF code;
    for (QTextBlock block = m_document->begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        // Not blockBoundingRect: it moves the rectangle to the block's left, margins and all.
        const QRectF rect = block.layout()->boundingRect().translated(block.layout()->position());
        if (format.hasProperty(QTextFormat::BlockCodeLanguage)) {
            code = code.isNull() ? rect : code.united(rect);
        } else if (!code.isNull()) {
            m_codeBlocks.append(
                code.adjusted(-CodeBlockPadding, -CodeBlockPadding, CodeBlockPadding, CodeBlockPadding));
            code = {};
        }
        for (int level = 1; level <= format.intProperty(QTextFormat::BlockQuoteLevel); ++level)
            m_quoteBars.append(QRectF((level - 1) * QuoteIndent + 2, rect.top(), 3, rect.height()));
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QString href = fragment.charFormat().anchorHref();
            if (!fragment.charFormat().isAnchor() || href.isEmpty())
                continue;
            if (!m_links.isEmpty() && m_links.back().url == href
                && m_links.back().start + m_links.back().length == fragment.position())
                m_links.back().length += fragment.length(); // one link in several formats
            else
                m_links.append({ fragment.position(), fragment.length(), href });
        }
    }
    if (!code.isNull())
        m_codeBlocks.append(code.adjusted(-CodeBlockPadding, -CodeBlockPadding, CodeBlockPadding, CodeBlockPadding));
    for (const QRectF &rect : std::as_const(m_codeBlocks))
        bottom = std::max(bottom, rect.bottom());
    m_height = qCeil(bottom);
}

void MessageText::draw(QPainter *painter, const QPointF &topLeft, int selectionStart, int selectionEnd) const
{
    if (m_document) {
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette.setColor(QPalette::Text, painter->pen().color());
        if (selectionStart >= 0 && selectionEnd > selectionStart) {
            const int end = m_document->characterCount() - 1;
            QAbstractTextDocumentLayout::Selection selection;
            selection.cursor = QTextCursor(m_document.get());
            selection.cursor.setPosition(std::min(selectionStart, end));
            selection.cursor.setPosition(std::min(selectionEnd, end), QTextCursor::KeepAnchor);
            selection.format.setBackground(m_selectionBackground);
            selection.format.setForeground(m_selectionText);
            context.selections.append(selection);
        }
        painter->save();
        painter->translate(topLeft);
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_codeBackground);
        for (const QRectF &rect : m_codeBlocks)
            painter->drawRoundedRect(rect, 3, 3);
        for (const QRectF &bar : m_quoteBars)
            painter->fillRect(bar, m_quoteBar);
        m_document->documentLayout()->draw(painter, context);
        painter->restore();
        return;
    }
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
    if (m_document)
        return m_document->documentLayout()->hitTest(point, Qt::FuzzyHit);
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
    if (m_document) {
        const QString href = m_document->documentLayout()->anchorAt(point);
        return isOpenableLink(href) ? href : QString();
    }
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
