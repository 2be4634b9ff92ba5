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
QList<std::pair<int, int>> unCheckedSpans(const QString &text)
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

void ComposerHighlighter::setSpellChecker(SpellChecker *checker)
{
    if (m_spell == checker)
        return;
    if (m_spell)
        disconnect(m_spell, nullptr, this, nullptr);
    m_spell = checker;
    if (m_spell)
        connect(m_spell, &SpellChecker::changed, this, &QSyntaxHighlighter::rehighlight);
    rehighlight();
}

std::pair<int, int> ComposerHighlighter::checkedWordAt(const QTextBlock &block, int position)
{
    const QString blockText = block.text();
    const bool inCodeBlock = block.previous().isValid() && block.previous().userState() == InFence;
    if (inCodeBlock || fencePattern().match(blockText).hasMatch())
        return { -1, 0 };
    const QList<std::pair<int, int>> spans = unCheckedSpans(blockText);
    for (auto it = wordPattern().globalMatch(blockText); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const int start = int(match.capturedStart());
        const int end = int(match.capturedEnd());
        if (position >= start && position <= end)
            return isInside(spans, start, end) ? std::pair { -1, 0 } : std::pair { start, end - start };
    }
    return { -1, 0 };
}

void ComposerHighlighter::highlightBlock(const QString &text)
{
    // A fence line opens or closes a code block; the lines between are code.
    const bool wasInFence = previousBlockState() == InFence;
    const bool isFence = fencePattern().match(text).hasMatch();
    setCurrentBlockState(isFence != wasInFence ? InFence : Prose);
    if (wasInFence || isFence)
        return;

    const QPalette palette = QGuiApplication::palette();
    QTextCharFormat mention;
    mention.setFontWeight(QFont::Bold);
    mention.setForeground(palette.color(QPalette::Link));
    for (auto it = mentionPattern().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), mention);
    }

    if (!m_spell || !m_spell->isReady())
        return;
    QTextCharFormat misspelled;
    misspelled.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    misspelled.setUnderlineColor(QColor(0xd6, 0x45, 0x45));
    const QList<std::pair<int, int>> spans = unCheckedSpans(text);
    for (auto it = wordPattern().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const int start = int(match.capturedStart());
        if (!isInside(spans, start, int(match.capturedEnd())) && !m_spell->isCorrect(match.captured()))
            setFormat(start, int(match.capturedLength()), misspelled);
    }
}

} // namespace Confab::Desktop
