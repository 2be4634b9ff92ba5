#include "messagemarkdown.h"

#include "emoji.h"

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QPalette>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextList>
#include <QUrl>

namespace Confab::Desktop {

namespace {

// What keepLineBreaks puts at the end of a line, before its line break: a space (so that
// emphasis closes and a bare link ends there) and a line separator.
constexpr QChar LineBreak = QChar::LineSeparator;

bool isCodeBlock(const QTextBlock &block)
{
    return block.blockFormat().hasProperty(QTextFormat::BlockCodeLanguage);
}

// The length of a fence (``` or ~~~, up to three spaces in) that line starts with, or 0.
int fenceAt(QStringView line, QChar *fenceChar)
{
    int indent = 0;
    while (indent < line.size() && indent < 4 && line.at(indent) == QLatin1Char(' '))
        ++indent;
    if (indent > 3 || indent >= line.size())
        return 0;
    const QChar c = line.at(indent);
    if (c != QLatin1Char('`') && c != QLatin1Char('~'))
        return 0;
    int length = 0;
    while (indent + length < line.size() && line.at(indent + length) == c)
        ++length;
    if (length < 3)
        return 0;
    *fenceChar = c;
    return length;
}

// Takes out what keepLineBreaks added: the space before each line separator, the space
// Markdown put for the line break after it, and the separator itself where it ends a block.
void removeLineBreakMarks(QTextDocument *document)
{
    const QString raw = document->toRawText();
    QTextCursor cursor(document);
    auto remove = [&](int position) {
        cursor.setPosition(position);
        cursor.setPosition(position + 1, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
    };
    for (qsizetype p = raw.size() - 1; p >= 0; --p) {
        if (raw.at(p) != LineBreak)
            continue;
        const bool endsBlock = p + 1 >= raw.size() || raw.at(p + 1) == QChar::ParagraphSeparator
            || raw.at(p + 1) == QChar(0xfdd0) || raw.at(p + 1) == QChar(0xfdd1);
        if (p + 1 < raw.size() && raw.at(p + 1) == QLatin1Char(' '))
            remove(int(p + 1));
        else if (endsBlock)
            remove(int(p));
        if (p > 0 && raw.at(p - 1) == QLatin1Char(' '))
            remove(int(p - 1));
    }
}

// Markdown images become their text (alt text, else the address): nothing is loaded.
void replaceImages(QTextDocument *document)
{
    struct Image
    {
        int position;
        QString text;
        QString source;
    };
    QList<Image> images;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat())
                continue;
            const QTextImageFormat image = fragment.charFormat().toImageFormat();
            const QString alt = image.stringProperty(QTextFormat::ImageAltText);
            for (int i = 0; i < fragment.length(); ++i)
                images.append({ fragment.position() + i, alt.isEmpty() ? image.name() : alt, image.name() });
        }
    }
    QTextCursor cursor(document);
    for (auto it = images.crbegin(); it != images.crend(); ++it) {
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + 1, QTextCursor::KeepAnchor);
        QTextCharFormat format;
        if (isOpenableLink(it->source)) {
            format.setAnchor(true);
            format.setAnchorHref(it->source);
        }
        cursor.insertText(it->text, format);
    }
}

// Code is fixed-pitch on a tint, fenced blocks padded and wrapping; quotes indented less
// than Qt's 40 px (MessageText draws their bar); list items close together; links in the
// link colour and underlined, and only those that can be opened are links at all.
void styleBlocks(QTextDocument *document, const QPalette &palette)
{
    QTextCharFormat code;
    code.setFontFamilies(QFontDatabase::systemFont(QFontDatabase::FixedFont).families());
    code.setFontFixedPitch(true);
    code.setFontStyleHint(QFont::Monospace);
    QColor tint = palette.color(QPalette::Text);
    tint.setAlpha(24);
    QTextCharFormat inlineCode;
    inlineCode.setBackground(tint);

    QTextCursor cursor(document);
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        const int quoteLevel = format.intProperty(QTextFormat::BlockQuoteLevel);
        if (isCodeBlock(block)) {
            format.setNonBreakableLines(false);
            format.setLeftMargin(format.leftMargin() + CodeBlockPadding);
            format.setRightMargin(CodeBlockPadding);
            const bool first = !isCodeBlock(block.previous());
            const bool last = !isCodeBlock(block.next());
            format.setTopMargin(first ? 2 * CodeBlockPadding : 0);
            format.setBottomMargin(last ? 2 * CodeBlockPadding : 0);
            cursor.setPosition(block.position());
            cursor.setBlockFormat(format);
            cursor.mergeBlockCharFormat(code);
            cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(code);
            continue;
        }
        if (quoteLevel > 0) {
            format.setLeftMargin(QuoteIndent * quoteLevel);
            format.setRightMargin(0);
        }
        if (block.textList()) {
            format.setTopMargin(0);
            format.setBottomMargin(0);
        }
        if (format != block.blockFormat()) {
            cursor.setPosition(block.position());
            cursor.setBlockFormat(format);
        }
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            QTextCharFormat charFormat = fragment.charFormat();
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            if (charFormat.fontFixedPitch()) {
                cursor.mergeCharFormat(inlineCode);
            } else if (charFormat.isAnchor()) {
                if (isOpenableLink(charFormat.anchorHref())) {
                    charFormat.setForeground(palette.color(QPalette::Link));
                    charFormat.setFontUnderline(true);
                } else {
                    charFormat.setAnchor(false);
                    charFormat.clearProperty(QTextFormat::AnchorHref);
                    charFormat.clearForeground();
                    charFormat.setFontUnderline(false);
                }
                cursor.setCharFormat(charFormat);
            }
        }
    }
}

// @name in the link colour, bold; not in code or links.
void highlightMentions(QTextDocument *document, const QPalette &palette)
{
    const QString text = document->toPlainText();
    if (!text.contains(QLatin1Char('@')))
        return;
    QTextCharFormat highlight;
    highlight.setFontWeight(QFont::Bold);
    highlight.setForeground(palette.color(QPalette::Link));
    QTextCursor cursor(document);
    for (auto it = mentionPattern().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        cursor.setPosition(int(match.capturedStart()) + 1);
        const QTextCharFormat at = cursor.charFormat(); // the format of the "@"
        if (at.fontFixedPitch() || at.isAnchor())
            continue;
        cursor.setPosition(int(match.capturedStart()));
        cursor.setPosition(int(match.capturedEnd()), QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(highlight);
    }
}

// Emoji in colour (emoji.h), in code too: the fixed-pitch font has black-and-white ones.
void colourEmoji(QTextDocument *document)
{
    const QList<EmojiRun> runs = emojiRuns(document->toPlainText());
    if (runs.isEmpty())
        return;
    QTextCharFormat emoji;
    emoji.setFontFamilies(emojiFamilies() + document->defaultFont().families());
    QTextCursor cursor(document);
    for (const EmojiRun &run : runs) {
        cursor.setPosition(run.start);
        cursor.setPosition(run.start + run.length, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(emoji);
    }
}

void appendNote(QTextDocument *document, const QPalette &palette, const QString &note)
{
    QTextCharFormat quiet;
    quiet.setForeground(palette.color(QPalette::PlaceholderText));
    quiet.setFontItalic(true);
    QTextCursor cursor(document);
    cursor.movePosition(QTextCursor::End);
    const QTextBlock last = document->lastBlock();
    if (isCodeBlock(last) || last.textList()) {
        cursor.insertBlock(QTextBlockFormat(), quiet);
        cursor.insertText(note, quiet);
    } else {
        cursor.insertText(QLatin1Char(' ') + note, quiet);
    }
}

} // namespace

QString plainTextOf(const QString &text)
{
    if (!hasMarkup(text))
        return text;
    QTextDocument document;
    document.setMarkdown(keepLineBreaks(text),
                         QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub
                                                         | QTextDocument::MarkdownNoHTML));
    return document.toPlainText();
}

const QRegularExpression &mentionPattern()
{
    static const QRegularExpression mention(QStringLiteral("(?<![\\w@])@\\w+(?:[.-]\\w+)*"));
    return mention;
}

bool isOpenableLink(const QString &url)
{
    const QString scheme = QUrl(url).scheme().toLower();
    return scheme == QLatin1String("https") || scheme == QLatin1String("http") || scheme == QLatin1String("mailto")
        || scheme == QLatin1String("confab");
}

bool hasMarkup(const QString &text)
{
    bool lineStart = true;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = text.at(i);
        switch (c.unicode()) {
        case '*':
        case '_':
        case '~':
        case '`':
        case '[':
        case '\\': return true;
        case '\n': lineStart = true; continue;
        default: break;
        }
        if (!lineStart || c == QLatin1Char(' '))
            continue;
        lineStart = false;
        const bool spaceAfter = i + 1 >= size || text.at(i + 1) == QLatin1Char(' ');
        if (c == QLatin1Char('>') || ((c == QLatin1Char('-') || c == QLatin1Char('+')) && spaceAfter))
            return true;
        if (c.isDigit()) {
            qsizetype end = i;
            while (end < size && text.at(end).isDigit())
                ++end;
            if (end < size && (text.at(end) == QLatin1Char('.') || text.at(end) == QLatin1Char(')'))
                && (end + 1 >= size || text.at(end + 1) == QLatin1Char(' ')))
                return true;
        }
    }
    return false;
}

QString keepLineBreaks(const QString &text)
{
    QStringList lines = QString(text).replace(QLatin1String("\r\n"), QLatin1String("\n")).split(QLatin1Char('\n'));
    QChar fenceChar;
    int fenceLength = 0; // inside a fenced code block when not 0
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QString &line = lines.at(i);
        QChar c;
        const int fence = fenceAt(line, &c);
        if (fenceLength > 0) {
            if (fence >= fenceLength && c == fenceChar
                && line.trimmed().size() == fence) // a closing fence has nothing after it
                fenceLength = 0;
            continue;
        }
        if (fence > 0) {
            fenceChar = c;
            fenceLength = fence;
            continue;
        }
        const QString &next = lines.at(i + 1);
        if (line.trimmed().isEmpty() || next.trimmed().isEmpty() || line.endsWith(QLatin1Char('\\'))
            || line.endsWith(QLatin1String("  ")) || line.contains(QLatin1Char('|')))
            continue; // a paragraph's end, a break already, a table's row
        lines[i] += QLatin1Char(' ') + LineBreak;
    }
    return lines.join(QLatin1Char('\n'));
}

std::unique_ptr<QTextDocument> renderMarkdown(const QString &text, const QFont &font, int width,
                                              const QPalette &palette, const QString &note)
{
    auto document = std::make_unique<QTextDocument>();
    document->setUndoRedoEnabled(false);
    document->setDefaultFont(font);
    document->setDocumentMargin(0);
    document->setIndentWidth(QFontMetricsF(font).height() * 1.5);
    QTextOption option = document->defaultTextOption();
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    document->setDefaultTextOption(option);
    document->setMarkdown(keepLineBreaks(text),
                          QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub
                                                          | QTextDocument::MarkdownNoHTML));
    removeLineBreakMarks(document.get());
    replaceImages(document.get());
    styleBlocks(document.get(), palette);
    highlightMentions(document.get(), palette);
    colourEmoji(document.get());
    if (!note.isEmpty())
        appendNote(document.get(), palette, note);

    // The first block's top margin and the last one's bottom margin are not laid out: a
    // code block there gets its padding from the document's.
    QTextFrameFormat frame = document->rootFrame()->frameFormat();
    frame.setTopMargin(isCodeBlock(document->firstBlock()) ? CodeBlockPadding : 0);
    frame.setBottomMargin(isCodeBlock(document->lastBlock()) ? CodeBlockPadding : 0);
    document->rootFrame()->setFrameFormat(frame);
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        block.layout()->setCacheEnabled(true); // painted many times: keep the shaped glyphs
    document->setTextWidth(width);
    return document;
}

} // namespace Confab::Desktop
