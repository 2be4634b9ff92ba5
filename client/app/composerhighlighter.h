// What the composer marks while one types: @mentions in the link colour, bold (as the
// message will show them), and misspelled words with a red wavy underline. Code (`…` and
// ``` fenced blocks), links, e-mail addresses and mentions are not spell checked, nor is
// the word being typed (the one ending at the cursor) until the cursor leaves it.
// Shift+Enter puts a line separator inside a block, so fences are found per line.
#pragma once

#include <QPointer>
#include <QSyntaxHighlighter>

namespace Confab::Desktop {

class SpellChecker;

class ComposerHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    // A word's place in its block's text.
    struct Span
    {
        int start = -1;
        int length = 0;
        bool isValid() const { return start >= 0; }
    };

    explicit ComposerHighlighter(QTextDocument *document);

    // nullptr: no spell checking. The caller highlights again (see Composer).
    void setSpellChecker(SpellChecker *checker) { m_spell = checker; }
    SpellChecker *spellChecker() const { return m_spell; }
    // Where the cursor is (a document position): a word ending there is not checked yet.
    void setTypingAt(int position) { m_typingAt = position; }
    int typingAt() const { return m_typingAt; }

    // The word at `position` in the block (letters and apostrophes) if it is checked;
    // invalid otherwise (code, a link, no word).
    static Span checkedWordAt(const QTextBlock &block, int position);

protected:
    void highlightBlock(const QString &text) override;

private:
    QPointer<SpellChecker> m_spell;
    int m_typingAt = -1;
};

} // namespace Confab::Desktop
