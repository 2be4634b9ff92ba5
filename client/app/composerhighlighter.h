// What the composer marks while one types: @mentions in the link colour, bold (as the
// message will show them), and misspelled words with a red wavy underline. Code (`…` and
// ``` fenced blocks), links, e-mail addresses and mentions are not spell checked.
#pragma once

#include <QPointer>
#include <QSyntaxHighlighter>

namespace Confab::Desktop {

class SpellChecker;

class ComposerHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit ComposerHighlighter(QTextDocument *document);

    // nullptr: no spell checking.
    void setSpellChecker(SpellChecker *checker);
    SpellChecker *spellChecker() const { return m_spell; }

    // The word at `position` in the block (letters and apostrophes) if it is checked, as
    // {start, length} in the block's text; {-1, 0} otherwise (code, a link, no word).
    static std::pair<int, int> checkedWordAt(const QTextBlock &block, int position);

protected:
    void highlightBlock(const QString &text) override;

private:
    QPointer<SpellChecker> m_spell;
};

} // namespace Confab::Desktop
