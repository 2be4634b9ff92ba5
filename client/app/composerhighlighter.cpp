#include "composerhighlighter.h"

#include "messagemarkdown.h"
#include "spellchecker.h"

#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>
#include <QTextBlock>

namespace Confab::Desktop {

namespace {

enum BlockState { Prose = 0, InFence = 1 };

const QRegularExpression &fencePattern()
{
    static const QRegularExpression fence(QStringLiteral("^\\s*(```|~~~)"));
    return fence;
}

// Words: letters (and the marks that combine with them), apostrophes inside.
const QRegularExpression &wordPattern()
{
    static const QRegularExpression word(QStringLiteral("[\\p{L}\\p{M}]+(?:['\\x{2019}][\\p{L}\\p{M}]+)*"));
    return word;
}

// Spans that are not prose: inline code, links, e-mail addresses, mentions.
QList<std::pair<int, int>> uncheckedSpans(const QString &text)
{
    static const QRegularExpression notProse(QStringLiteral(
                                                 "`[^`]*`?|\\b(?:[a-z][a-z0-9+.-]*://|www\\.)\\S+|\\S+@\\S+\\.\\S+"),
                                             QRegularExpression::CaseInsensitiveOption);
    QList<std::pair<int, int>> spans;
    for (const QRegularExpression *pattern : { &notProse, &mentionPattern() }) {
        for (auto it = pattern->globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            spans.append({ int(match.capturedStart()), int(match.capturedEnd()) });
        }
    }
    return spans;
}

// A line of a block (Shift+Enter separates lines inside one) and whether it is code: a
// fence line, or a line between fences.
struct Line
{
    int start;
    QString text;
    bool code;
};

QList<Line> linesOf(const QString &blockText, bool inFence, bool *inFenceAfter)
{
    QList<Line> lines;
    int start = 0;
    for (const QString &text : blockText.split(QChar::LineSeparator)) {
        const bool fence = fencePattern().match(text).hasMatch();
        lines.append({ start, text, inFence || fence });
        if (fence)
            inFence = !inFence;
        start += int(text.size()) + 1;
    }
    if (inFenceAfter)
        *inFenceAfter = inFence;
    return lines;
}

bool isInside(const QList<std::pair<int, int>> &spans, int start, int end)
{
    return std::any_of(spans.cbegin(), spans.cend(),
                       [=](const std::pair<int, int> &span) { return start < span.second && end > span.first; });
}

} // namespace

ComposerHighlighter::ComposerHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

ComposerHighlighter::Span ComposerHighlighter::checkedWordAt(const QTextBlock &block, int position)
{
    const bool inFence = block.previous().isValid() && block.previous().userState() == InFence;
    for (const Line &line : linesOf(block.text(), inFence, nullptr)) {
        const int inLine = position - line.start;
        if (line.code || inLine < 0 || inLine > line.text.size())
            continue;
        const QList<std::pair<int, int>> spans = uncheckedSpans(line.text);
        for (auto it = wordPattern().globalMatch(line.text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            const int start = int(match.capturedStart());
            const int end = int(match.capturedEnd());
            if (inLine >= start && inLine <= end)
                return isInside(spans, start, end) ? Span {} : Span { line.start + start, end - start };
        }
    }
    return {};
}

void ComposerHighlighter::highlightBlock(const QString &text)
{
    bool inFenceAfter = false;
    const QList<Line> lines = linesOf(text, previousBlockState() == InFence, &inFenceAfter);
    setCurrentBlockState(inFenceAfter ? InFence : Prose);

    QTextCharFormat mention;
    mention.setFontWeight(QFont::Bold);
    mention.setForeground(QGuiApplication::palette().color(QPalette::Link));
    QTextCharFormat misspelled;
    misspelled.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    misspelled.setUnderlineColor(QColor(0xd6, 0x45, 0x45));
    const bool checks = m_spell && m_spell->isReady();
    const int typedEnd = m_typingAt - currentBlock().position(); // in this block's text
    for (const Line &line : lines) {
        if (line.code)
            continue;
        const QList<std::pair<int, int>> spans = uncheckedSpans(line.text);
        for (auto it = mentionPattern().globalMatch(line.text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            // Not inside inline code or a link (…/@alice), as messages show them.
            const int start = int(match.capturedStart());
            const bool inOther = std::any_of(spans.cbegin(), spans.cend(), [&](const std::pair<int, int> &span) {
                return span.first < start && start < span.second;
            });
            if (!inOther)
                setFormat(line.start + start, int(match.capturedLength()), mention);
        }
        if (!checks)
            continue;
        for (auto it = wordPattern().globalMatch(line.text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            const int start = int(match.capturedStart());
            const int end = int(match.capturedEnd());
            if (line.start + end == typedEnd || isInside(spans, start, end) || m_spell->isCorrect(match.captured()))
                continue;
            setFormat(line.start + start, end - start, misspelled);
        }
    }
}

} // namespace Confab::Desktop
